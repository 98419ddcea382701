namespace ParPlatform.Gateway;

/// <summary>The <c>Gateway</c> configuration section: what is public, how big and how often.</summary>
public sealed record GatewaySettings
{
    /// <summary>
    /// Paths reachable without a token. A pattern matches a path that starts with its segments; <c>*</c> stands
    /// for any one segment, e.g. <c>/api/*/info</c> or <c>/*/GetServiceInfo</c> (gRPC).
    /// </summary>
    public string[] PublicPaths { get; init; } = [];

    /// <summary>Largest request body anywhere unless a <see cref="RequestBodyLimits"/> prefix says otherwise.</summary>
    public long MaxRequestBodySize { get; init; } = 1024 * 1024;

    public BodyLimit[] RequestBodyLimits { get; init; } = [];

    /// <summary>Browser origins of the web UI allowed to call the API (CORS).</summary>
    public string[] CorsOrigins { get; init; } = [];

    public RateLimit RateLimit { get; init; } = new();

    public static GatewaySettings From(IConfiguration configuration) =>
        configuration.GetSection("Gateway").Get<GatewaySettings>() ?? new GatewaySettings();

    public long BodyLimitFor(PathString path) =>
        RequestBodyLimits.FirstOrDefault(limit => path.StartsWithSegments(limit.PathPrefix, StringComparison.OrdinalIgnoreCase))?.MaxBytes
        ?? MaxRequestBodySize;
}

public sealed record BodyLimit(string PathPrefix, long MaxBytes);

/// <summary>Requests per window per client (token subject; the remote address for anonymous calls).</summary>
public sealed record RateLimit
{
    public int PermitLimit { get; init; } = 100;
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);
}
