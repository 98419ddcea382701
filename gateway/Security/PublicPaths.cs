namespace ParPlatform.Gateway.Security;

/// <summary>Matches request paths against the configured public patterns (see <see cref="GatewaySettings.PublicPaths"/>).</summary>
public sealed class PublicPaths(IEnumerable<string> patterns)
{
    private readonly string[][] _patterns = patterns.Select(Segments).ToArray();

    public bool Matches(PathString path)
    {
        var segments = Segments(path.Value ?? "");
        return _patterns.Any(pattern => pattern.Length <= segments.Length && pattern
            .Select((part, index) => part == "*" || string.Equals(part, segments[index], StringComparison.OrdinalIgnoreCase))
            .All(matched => matched));
    }

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
