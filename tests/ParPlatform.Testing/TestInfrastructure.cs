using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.Hosting;

namespace ParPlatform.Testing;

/// <summary>
/// A throwaway PostgreSQL (fsync off) and RabbitMQ for one test assembly: a small Aspire app model with only those two
/// resources, the same definitions the AppHost declares (<c>AppHost/ParPlatform.Hosting</c>), run by Aspire's
/// orchestrator (DCP) through <see cref="DistributedApplicationTestingBuilder"/> in a run folder of its own
/// (<c>/tmp/parplatform-tests/run-&lt;pid&gt;-*</c>), every port picked by DCP. DCP watches the test host: when it
/// exits or is killed, even by SIGKILL, DCP stops the servers and exits itself. Real servers, never mocks.
/// </summary>
public sealed class TestInfrastructure
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), "parplatform-tests");
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestInfrastructure? _shared;

    private readonly string _superuser;
    private readonly string _superuserPassword;

    private TestInfrastructure(DistributedApplication app, string folder, string superuser, string superuserPassword, string messaging, TimeSpan startUp)
    {
        App = app;
        Folder = folder;
        _superuser = superuser;
        _superuserPassword = superuserPassword;
        MessagingConnectionString = messaging;
        StartUp = startUp;
    }

    /// <summary>The app model's running instance (resource states, commands, logs).</summary>
    public DistributedApplication App { get; }
    public string Folder { get; }

    /// <summary>The amqp:// URI a service is handed as <c>ConnectionStrings__messaging</c>.</summary>
    public string MessagingConnectionString { get; }

    /// <summary>From building the app model to both servers healthy.</summary>
    public TimeSpan StartUp { get; }

    /// <summary>
    /// The assembly's one instance, started on first use. <paramref name="declare"/> adds resources of the assembly's
    /// own to the app model (e.g. a process a test starts and kills); only the first call's is used.
    /// </summary>
    public static async Task<TestInfrastructure> SharedAsync(Action<IDistributedApplicationBuilder>? declare = null)
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var infrastructure = await StartAsync(declare);
                // Stopping here is a courtesy that makes the servers go before the test run returns; DCP stops them
                // anyway once this process is gone, however it ends.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => infrastructure.StopAtExit();
                _shared = infrastructure;
            }
            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<TestInfrastructure> StartAsync(Action<IDistributedApplicationBuilder>? declare = null)
    {
        RemoveStaleRuns();
        var clock = Stopwatch.StartNew();
        var folder = NewRunFolder();
        // DCP is found through this assembly's metadata (see the project file), as through an AppHost's.
        var builder = DistributedApplicationTestingBuilder.Create(Array.Empty<string>(), (options, _) => options.DisableDashboard = true);
        var postgres = builder.AddLocalPostgres(ResourceNames.Postgres, folder, throwaway: true);
        var messaging = builder.AddLocalRabbitMq(ResourceNames.Messaging, folder);
        declare?.Invoke(builder);
        // The servers' console output and the health probes' retries are not the tests' output.
        builder.Services.AddLogging(logging => logging
            .AddFilter("ParPlatform.Testing.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning));
        var app = await builder.BuildAsync();
        // A minute or two while other builds and test runs share the two cores.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await app.StartAsync(timeout.Token);
            await Task.WhenAll(
                app.ResourceNotifications.WaitForResourceHealthyAsync(postgres.Resource.Name, timeout.Token),
                app.ResourceNotifications.WaitForResourceHealthyAsync(messaging.Resource.Name, timeout.Token));
            // One line per start, for whoever compares start-up times across runs and machines.
            File.AppendAllText(Path.Combine(Root, "startup-times.log"),
                $"{DateTime.UtcNow:O} {Path.GetFileName((AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';')[0])?.Split(".deps.json")[0]} {clock.Elapsed.TotalSeconds:0.0} s{Environment.NewLine}");
            return new TestInfrastructure(app, folder,
                (await postgres.Resource.ConnectionStringExpression.GetValueAsync(timeout.Token))!,
                postgres.Resource.SuperuserPassword,
                (await messaging.Resource.ConnectionStringExpression.GetValueAsync(timeout.Token))!,
                clock.Elapsed);
        }
        catch (Exception failure)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The test infrastructure in {folder} did not start: {failure.Message}", failure);
        }
    }

    /// <summary>A run folder named after this process, so a later run can tell whether its owner is still alive.</summary>
    public static string NewRunFolder()
    {
        var folder = Path.Combine(Root, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Deletes the run folders of test hosts that are gone (their processes are DCP's to stop, and it has). Safe with
    /// every test assembly doing the same at once: a folder another host is deleting, or a file a dying server still
    /// writes, is left to the next sweep.
    /// </summary>
    public static void RemoveStaleRuns()
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(Root, "run-*");
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        foreach (var folder in folders)
        {
            if (!int.TryParse(Path.GetFileName(folder).Split('-')[1], out var owner) || owner == Environment.ProcessId || IsAlive(owner))
            {
                continue;
            }
            // Another test host may be deleting the same folder: each retry finishes what the other left.
            for (var attempt = 0; attempt < 3 && Directory.Exists(folder); attempt++)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // DirectoryNotFoundException (an IOException) included: removed by the other one meanwhile.
                }
            }
        }
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// A new, empty database for one test class, so classes never see each other's rows: the connection string of its
    /// own non-superuser role, as the AppHost hands it to a service (row-level security applies to it).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        var password = PostgresCluster.ServicePassword(_superuserPassword, name);
        await PostgresCluster.CreateDatabaseAsync(Superuser, password, name, CancellationToken.None);
        return new NpgsqlConnectionStringBuilder(Superuser(name)) { Username = PostgresCluster.ServiceRole(name), Password = password }.ConnectionString;
    }

    /// <summary>The same database as the superuser, for a test's own checks across every tenant's rows.</summary>
    public string AsSuperuser(string serviceConnectionString) =>
        Superuser(new NpgsqlConnectionStringBuilder(serviceConnectionString).Database!);

    private string Superuser(string database) => new NpgsqlConnectionStringBuilder(_superuser) { Database = database }.ConnectionString;

    /// <summary>Stops a resource (as the dashboard's stop command does) and returns once it has stopped.</summary>
    public async Task StopResourceAsync(string name, CancellationToken cancellationToken)
    {
        await RunCommandAsync(name, KnownResourceCommands.StopCommand, cancellationToken);
        await App.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.TerminalStates, cancellationToken);
    }

    /// <summary>Starts a stopped (or explicitly started) resource and returns once it is healthy.</summary>
    public async Task StartResourceAsync(string name, CancellationToken cancellationToken)
    {
        await RunCommandAsync(name, KnownResourceCommands.StartCommand, cancellationToken);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
    }

    /// <summary>The pid of an executable resource's process.</summary>
    public int ResourcePid(string name) =>
        App.Services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(name, out var current)
            ? Convert.ToInt32(current.Snapshot.Properties.First(property => property.Name == "executable.pid").Value)
            : throw new InvalidOperationException($"No resource {name}.");

    private async Task RunCommandAsync(string name, string command, CancellationToken cancellationToken)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(name, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} {name}: {result.Message}");
        }
    }

    private void StopAtExit()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            App.StopAsync(timeout.Token).GetAwaiter().GetResult();
            App.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            // DCP finishes on its own; the next run's sweep removes the folder.
        }
    }
}
