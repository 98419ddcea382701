using ParPlatform.Hosting.Infrastructure;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Testing;

/// <summary>
/// A throwaway PostgreSQL and RabbitMQ for one test assembly, started once on free ports in a temp folder
/// (<c>/tmp/parplatform-tests/run-*</c>) and always cleaned up: on normal exit by <see cref="DisposeAsync"/>; if the
/// test host dies, by the registry's watchdog; and leftovers of any earlier run are killed and removed on the next
/// start. Real servers, never mocks.
/// </summary>
public sealed class TestInfrastructure : IAsyncDisposable
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), "parplatform-tests");
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestInfrastructure? _shared;

    private readonly ProcessRegistry _registry;
    private readonly string _folder;

    private TestInfrastructure(string folder)
    {
        _folder = folder;
        _registry = new ProcessRegistry(folder);
        Postgres = new PostgresServer(Path.Combine(folder, "postgres"), PortAllocator.GetFreePort(), Log, throwaway: true);
        RabbitMq = new RabbitMqServer(Path.Combine(folder, "rabbitmq"), PortAllocator.GetFreePort(), Log);
    }

    public PostgresServer Postgres { get; }
    public RabbitMqServer RabbitMq { get; }
    public string Folder => _folder;
    public ProcessRegistry Registry => _registry;

    /// <summary>The assembly's one instance, started on first use and stopped when the test host exits.</summary>
    public static async Task<TestInfrastructure> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var infrastructure = await StartAsync();
                // The test host gives exit handlers little time: the throwaway servers are killed outright, and the
                // watchdog or the next run's stale-run sweep covers a host that dies without running this.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => infrastructure.KillNow();
                _shared = infrastructure;
            }
            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<TestInfrastructure> StartAsync()
    {
        RemoveStaleRuns();
        var folder = NewRunFolder();
        var infrastructure = new TestInfrastructure(folder);
        infrastructure._registry.StartWatchdog();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Task.WhenAll(
            infrastructure.Postgres.StartAsync(infrastructure._registry, timeout.Token),
            infrastructure.RabbitMq.StartAsync(infrastructure._registry, timeout.Token));
        return infrastructure;
    }

    /// <summary>A run folder named after this process, so a later run can tell whether its owner is still alive.</summary>
    public static string NewRunFolder()
    {
        var folder = Path.Combine(Root, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Kills the processes of earlier runs whose test host is gone and deletes their folders.</summary>
    public static void RemoveStaleRuns()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }
        foreach (var folder in Directory.GetDirectories(Root, "run-*"))
        {
            var owner = int.TryParse(Path.GetFileName(folder).Split('-')[1], out var pid) ? pid : 0;
            if (owner != Environment.ProcessId && owner > 0 && Posix.IsAlive(owner))
            {
                continue;
            }
            if (owner == Environment.ProcessId)
            {
                continue;
            }
            ProcessRegistry.KillStale(folder);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // a process still closing its files; the next run removes it
            }
        }
    }

    /// <summary>
    /// A new, empty database for one test class, so classes never see each other's rows: the connection string of its
    /// own non-superuser role, as the AppHost hands it to a service (row-level security applies to it).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        await Postgres.CreateDatabaseAsync(name, CancellationToken.None);
        return Postgres.ServiceConnectionString(name);
    }

    /// <summary>The same database as the superuser, for a test's own checks across every tenant's rows.</summary>
    public string AsSuperuser(string serviceConnectionString) =>
        Postgres.ConnectionString(new Npgsql.NpgsqlConnectionStringBuilder(serviceConnectionString).Database!);

    private void Log(string resource, string line) =>
        File.AppendAllText(Path.Combine(_folder, $"{resource}.log"), line + Environment.NewLine);

    /// <summary>Kills the servers at once and removes the run folder.</summary>
    public void KillNow()
    {
        _registry.KillAll();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // files still held by a dying process; the next run's sweep removes the folder
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RabbitMq.StopAsync();
        await Postgres.StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
