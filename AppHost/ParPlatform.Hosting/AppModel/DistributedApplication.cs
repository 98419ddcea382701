using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Hosting.AppModel;

/// <summary>
/// Declares the app model (Aspire's <c>DistributedApplication.CreateBuilder</c> in miniature) and runs it with local
/// processes: no Aspire.Hosting and no container engine are available here.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    private DistributedApplicationBuilder(AppHostOptions options, string repositoryRoot)
    {
        Options = options;
        RepositoryRoot = repositoryRoot;
    }

    public AppHostOptions Options { get; }
    public string RepositoryRoot { get; }

    /// <summary>Where all state lives: databases, broker data, evidence files, logs (default <c>.parplatform/</c>).</summary>
    public string StateFolder => Path.GetFullPath(Options.StateFolder ?? Path.Combine(RepositoryRoot, ".parplatform"));

    public static DistributedApplicationBuilder CreateBuilder(AppHostOptions options) =>
        new(options, FindRepositoryRoot());

    public PostgresResource AddPostgres(string name, int? port = null) =>
        Add(new PostgresResource(name, port ?? PortAllocator.GetFreePort()));

    public PostgresDatabaseResource AddDatabase(PostgresResource server, string name, string databaseName)
    {
        var database = Add(new PostgresDatabaseResource(name, databaseName, server));
        server.Databases.Add(database);
        return database;
    }

    public RabbitMqResource AddRabbitMQ(string name, int? port = null) =>
        Add(new RabbitMqResource(name, port ?? PortAllocator.GetFreePort()));

    /// <summary>A service project by its folder relative to the repository root.</summary>
    public ProjectResource AddProject(string name, string projectDirectory) => Add(new ProjectResource(name, projectDirectory));

    /// <summary>The configured port when given, else <paramref name="preferred"/> when free, else any free port.</summary>
    public static int PortOrFree(int? configured, int preferred) =>
        configured ?? (PortAllocator.IsFree(preferred) ? preferred : PortAllocator.GetFreePort());

    private T Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(existing => existing.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }
        _resources.Add(resource);
        return resource;
    }

    public DistributedApplication Build() => new(_resources, Options, RepositoryRoot, StateFolder);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(System.AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ParPlatform.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ParPlatform.sln not found above " + System.AppContext.BaseDirectory);
    }
}

public sealed class DistributedApplication(
    IReadOnlyList<Resource> resources, AppHostOptions options, string repositoryRoot, string stateFolder)
{
    private static readonly object ConsoleLock = new();
    private static readonly ConsoleColor[] Colors =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkYellow];

    public IReadOnlyList<Resource> Resources => resources;
    public string StateFolder => stateFolder;

    public T Resource<T>(string name) where T : Resource => (T)resources.Single(resource => resource.Name == name);

    /// <summary>Starts everything, prints the resource table, and runs until <paramref name="cancellationToken"/>
    /// fires or SIGINT/SIGTERM arrives; then stops services, then the broker, then the database.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; shutdown.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; shutdown.Cancel(); });

        try
        {
            await StartAsync(shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return; // Ctrl+C while starting: StartAsync has already stopped what it started
        }
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await StopAsync();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PrepareStateFolder();
        var registry = new ProcessRegistry(StateFolder);
        registry.StartWatchdog();
        var configuration = typeof(DistributedApplication).Assembly
            .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var context = new AppRunContext(StateFolder, repositoryRoot, configuration, registry, Log, options.Throwaway);

        var started = DateTime.UtcNow;
        var runs = resources.Select(resource => resource.RunAsync(context, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(runs);
        }
        catch
        {
            await StopAsync();
            throw;
        }
        WriteResourceTable(DateTime.UtcNow - started);
    }

    /// <summary>Stops resources that nothing still running depends on, level by level: gateway and services first,
    /// PostgreSQL last.</summary>
    public async Task StopAsync()
    {
        var remaining = resources.ToList();
        while (remaining.Count > 0)
        {
            var level = remaining.Where(candidate => !remaining.Any(other => other.WaitsFor.Contains(candidate))).ToList();
            if (level.Count == 0)
            {
                level = remaining; // a cycle cannot be declared through WaitFor, but never loop forever
            }
            foreach (var resource in level)
            {
                Log("apphost", $"stopping {resource.Name}");
            }
            await Task.WhenAll(level.Select(resource => resource.StopAsync()));
            remaining.RemoveAll(level.Contains);
        }
        Log("apphost", "all resources stopped");
    }

    private void PrepareStateFolder()
    {
        var killed = ProcessRegistry.KillStale(StateFolder);
        if (killed > 0)
        {
            Log("apphost", $"killed {killed} process group(s) left behind by an earlier run");
        }
        if (options.Fresh && Directory.Exists(StateFolder))
        {
            Log("apphost", $"--fresh: wiping {StateFolder}");
            foreach (var marker in Directory.GetFiles(StateFolder, Infrastructure.PostgresServer.RelocationMarker, SearchOption.AllDirectories))
            {
                var relocated = File.ReadAllText(marker).Trim();
                if (Directory.Exists(relocated))
                {
                    Directory.Delete(relocated, recursive: true);
                }
            }
            Directory.Delete(StateFolder, recursive: true);
        }
        Directory.CreateDirectory(Path.Combine(StateFolder, "logs"));
    }

    private void WriteResourceTable(TimeSpan elapsed)
    {
        var rows = resources.Select(resource => new { resource.Name, State = resource.State.ToString(), Endpoint = resource.Describe() }).ToList();
        var width = rows.Max(row => row.Name.Length) + 2;
        var lines = new List<string> { "", $"ParPlatform is running ({elapsed.TotalSeconds:0.0} s). State folder: {StateFolder}", "" };
        lines.Add($"  {"RESOURCE".PadRight(width)}{"STATE",-10}ENDPOINTS");
        lines.AddRange(rows.Select(row => $"  {row.Name.PadRight(width)}{row.State,-10}{row.Endpoint}"));
        if (resources.OfType<ProjectResource>().FirstOrDefault(project => project.Name == "gateway") is { } gateway)
        {
            lines.Add("");
            lines.Add($"  Gateway REST: {gateway.Endpoints["http"]}/api/<service>/...   gRPC: {gateway.Endpoints.GetValueOrDefault("grpc")}");
            lines.Add($"  Try:          curl {gateway.Endpoints["http"]}/api/criteria/info");
        }
        lines.Add("");
        lines.Add("  Press Ctrl+C to stop everything.");
        lock (ConsoleLock)
        {
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }
        }
        var snapshot = resources.Select(resource => new
        {
            resource.Name,
            State = resource.State.ToString(),
            Endpoints = (resource as IResourceWithEndpoints)?.Endpoints,
            ConnectionString = (resource as IResourceWithConnectionString)?.ConnectionString,
            Pid = (resource as ProjectResource)?.Pid,
        });
        File.WriteAllText(Path.Combine(StateFolder, "resources.json"), JsonSerializer.Serialize(snapshot, new JsonSerializerOptions { WriteIndented = true }));
    }

    private void Log(string resource, string line)
    {
        lock (ConsoleLock)
        {
            File.AppendAllText(Path.Combine(StateFolder, "logs", $"{resource}.log"), line + Environment.NewLine);
            if (options.Quiet && resource != "apphost")
            {
                return;
            }
            var index = resource.Sum(character => character) % Colors.Length; // stable across runs, unlike GetHashCode
            Console.ForegroundColor = Colors[index];
            Console.Write($"[{resource}] ");
            Console.ResetColor();
            Console.WriteLine(line);
        }
    }
}
