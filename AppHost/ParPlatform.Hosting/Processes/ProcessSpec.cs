namespace ParPlatform.Hosting.Processes;

/// <summary>How to launch one supervised program.</summary>
public sealed record ProcessSpec(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }

    /// <summary>Run as this system user (PostgreSQL refuses to run as root).</summary>
    public string? RunAsUser { get; init; }

    /// <summary>The signal that asks the program to shut down cleanly (PostgreSQL's fast shutdown is SIGINT).</summary>
    public int StopSignal { get; init; } = Posix.SIGTERM;

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
