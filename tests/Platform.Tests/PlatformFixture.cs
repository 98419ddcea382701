using ParPlatform.Hosting.Processes;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>The whole platform as the README's first command starts it: the AppHost program and its app model.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public string StateFolder { get; } = TestInfrastructure.NewRunFolder();
    public ProcessRegistry Registry { get; private set; } = null!;
    public AppHostRun App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TestInfrastructure.RemoveStaleRuns();
        Registry = new ProcessRegistry(StateFolder);
        Registry.StartWatchdog();
        App = await AppHostRun.StartAsync(Registry, Path.Combine(StateFolder, "apphost"));
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            Directory.Delete(StateFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
