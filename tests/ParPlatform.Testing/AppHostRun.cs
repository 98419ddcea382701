extern alias apphost;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using ParPlatform.Contracts;

namespace ParPlatform.Testing;

/// <summary>
/// The whole platform for end-to-end tests: the real AppHost's app model (the one <c>./run.sh</c> runs) started
/// through Aspire.Hosting.Testing (<see cref="DistributedApplicationTestingBuilder"/>) in a throwaway state folder,
/// every endpoint on a port the orchestrator picks, no dashboard. Aspire's orchestrator (DCP) watches the test host:
/// if it dies, even by SIGKILL, DCP stops every resource.
/// </summary>
public sealed class AppHostRun : IAsyncDisposable
{
    private static readonly string[] Services =
    [
        ResourceNames.Identity, ResourceNames.Criteria, ResourceNames.EvidenceStorage, ResourceNames.Submission,
        ResourceNames.Survey, ResourceNames.Ranking, ResourceNames.Gateway,
    ];

    private const int KeptLogLines = 400;

    private readonly DistributedApplication _app;
    private readonly Dictionary<string, string> _connectionStrings;
    private readonly CancellationTokenSource _stopWatchingLogs = new();
    private readonly Dictionary<string, Queue<string>> _logTails = [];

    private AppHostRun(DistributedApplication app, string stateFolder, Dictionary<string, string> connectionStrings)
    {
        _app = app;
        _connectionStrings = connectionStrings;
        StateFolder = stateFolder;
        GatewayHttp = app.GetEndpoint(ResourceNames.Gateway, ResourceNames.HttpEndpoint);
        GatewayGrpc = app.GetEndpoint(ResourceNames.Gateway, ResourceNames.GrpcEndpoint);
        WatchLogs();
    }

    public string StateFolder { get; }
    public Uri GatewayHttp { get; }
    public Uri GatewayGrpc { get; }
    public DistributedApplication App => _app;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string BuildConfiguration { get; } =
        typeof(AppHostRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static async Task<AppHostRun> StartAsync(string stateFolder, bool fresh = false, params string[] extraArguments)
    {
        List<string> arguments = ["--state-dir", stateFolder, "--throwaway", "--gateway-http-port", "0", "--gateway-grpc-port", "0"];
        if (fresh)
        {
            arguments.Add("--fresh");
        }
        arguments.AddRange(extraArguments);
        // About a minute on an idle 2-core machine; several times that while other builds and test runs share it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(apphost::ParPlatform.AppHost.AppHostOptions), [.. arguments], timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            await Task.WhenAll(model.Resources.OfType<ProjectResource>()
                .Select(project => app.ResourceNotifications.WaitForResourceHealthyAsync(project.Name, timeout.Token)));
            var connectionStrings = new Dictionary<string, string>();
            foreach (var resource in model.Resources.OfType<IResourceWithConnectionString>())
            {
                connectionStrings[resource.Name] = (await resource.GetConnectionStringAsync(timeout.Token))!;
            }
            return new AppHostRun(app, stateFolder, connectionStrings);
        }
        catch (Exception failure)
        {
            var logs = Path.Combine(stateFolder, "logs");
            var tails = Directory.Exists(logs)
                ? string.Join(Environment.NewLine, Directory.GetFiles(logs, "*.log").Select(file =>
                    $"--- {Path.GetFileName(file)}{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(file).TakeLast(15))}"))
                : "(no logs)";
            await app.DisposeAsync();
            throw new InvalidOperationException($"The platform did not start: {failure.Message}{Environment.NewLine}{tails}", failure);
        }
    }

    /// <summary>
    /// The last lines each project printed, for a failing test's output: what the services said while the browser
    /// waited. The orchestrator keeps no backlog of a resource's console unless someone watches it, so the run
    /// watches every project from its start and keeps the newest lines.
    /// </summary>
    public string LogTails(int lines, params string[] resources)
    {
        var tails = new List<string>();
        foreach (var resource in resources)
        {
            string[] kept;
            lock (_logTails)
            {
                kept = _logTails.TryGetValue(resource, out var queue) ? [.. queue.TakeLast(lines)] : ["(not watched)"];
            }
            tails.Add($"--- {resource}{Environment.NewLine}{string.Join(Environment.NewLine, kept)}");
        }
        return string.Join(Environment.NewLine, tails);
    }

    private void WatchLogs()
    {
        var loggers = _app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var project in _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
        {
            var queue = new Queue<string>();
            lock (_logTails)
            {
                _logTails[project.Name] = queue;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in loggers.WatchAsync(project.Name).WithCancellation(_stopWatchingLogs.Token))
                    {
                        lock (_logTails)
                        {
                            foreach (var line in batch)
                            {
                                queue.Enqueue(line.Content);
                                if (queue.Count > KeptLogLines)
                                {
                                    queue.Dequeue();
                                }
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }
    }

    /// <summary>The pid of a service's own process (not of the <c>dotnet run</c> that DCP starts it with).</summary>
    public int ResourcePid(string name)
    {
        var snapshot = _app.Services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(name, out var current)
            ? current.Snapshot : throw new InvalidOperationException($"No resource {name}.");
        var pid = Convert.ToInt32(snapshot.Properties.First(property => property.Name is "executable.pid" or "project.pid").Value);
        // DCP runs a project as `dotnet run --no-build`: the service is that process's child.
        var child = Directory.GetDirectories("/proc").Select(dir => int.TryParse(Path.GetFileName(dir), out var id) ? id : 0)
            .Where(id => id > 0 && ParentOf(id) == pid).FirstOrDefault();
        return child > 0 ? child : pid;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>A service's own endpoint (bypassing the gateway).</summary>
    public Uri ResourceEndpoint(string name, string endpoint) => _app.GetEndpoint(name, endpoint);

    /// <summary>A database's connection string as the AppHost hands it to its service (its own role).</summary>
    public string ResourceConnectionString(string name) => _connectionStrings[name];

    /// <summary>The same database as the PostgreSQL superuser, for checks that must see every tenant's rows.</summary>
    public string SuperuserConnectionString(string name)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(_connectionStrings[ResourceNames.Postgres])
        {
            Database = new Npgsql.NpgsqlConnectionStringBuilder(ResourceConnectionString(name)).Database,
        };
        return builder.ConnectionString;
    }

    /// <summary>Stops every resource (as Ctrl+C does) and waits for the orchestrator to finish.</summary>
    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWatchingLogs.CancelAsync();
        await _app.DisposeAsync();
        _stopWatchingLogs.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ParPlatform.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ParPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
