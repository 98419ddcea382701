using ParPlatform.Hosting.Processes;

namespace ParPlatform.Hosting.AppModel;

/// <summary>What every resource shares while the app runs: the state folder, the process registry and the log.</summary>
public sealed class AppRunContext(
    string stateFolder, string repositoryRoot, string buildConfiguration, ProcessRegistry registry, Action<string, string> log, bool throwaway)
{
    public string StateFolder => stateFolder;
    public string RepositoryRoot => repositoryRoot;

    /// <summary>Debug or Release: services are run from the same build configuration as the AppHost.</summary>
    public string BuildConfiguration => buildConfiguration;
    public ProcessRegistry Registry => registry;
    public Action<string, string> Log => log;

    /// <summary>Test runs trade durability for speed (PostgreSQL without fsync).</summary>
    public bool Throwaway => throwaway;
}
