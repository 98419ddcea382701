using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>The whole platform as the README's first command starts it: the AppHost's app model, run through
/// Aspire.Hosting.Testing in this assembly's own state folder and ports.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public string StateFolder { get; } = TestInfrastructure.NewRunFolder();
    public AppHostRun App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TestInfrastructure.RemoveStaleRuns();
        App = await AppHostRun.StartAsync(Path.Combine(StateFolder, "apphost"));
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        try
        {
            Directory.Delete(StateFolder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }
}
