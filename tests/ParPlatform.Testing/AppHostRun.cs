using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Testing;

/// <summary>
/// Runs the real AppHost program (the same app model the README's first command runs) in a temp state folder with
/// free gateway ports, and waits until it has printed its resource table. For end-to-end tests through the gateway.
/// </summary>
public sealed class AppHostRun : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly ConcurrentQueue<string> _output;

    private AppHostRun(ManagedProcess process, ConcurrentQueue<string> output, string stateFolder, int httpPort, int grpcPort)
    {
        _process = process;
        _output = output;
        StateFolder = stateFolder;
        GatewayHttp = new Uri($"http://127.0.0.1:{httpPort}");
        GatewayGrpc = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public string StateFolder { get; }
    public Uri GatewayHttp { get; }
    public Uri GatewayGrpc { get; }
    public int Pid => _process.Pid;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output => string.Join(Environment.NewLine, _output);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string BuildConfiguration { get; } =
        typeof(AppHostRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static async Task<AppHostRun> StartAsync(
        ProcessRegistry registry, string stateFolder, bool fresh = false, params string[] extraArguments)
    {
        var program = Path.Combine(RepositoryRoot, "AppHost", "ParPlatform.AppHost", "bin", BuildConfiguration, "net10.0", "ParPlatform.AppHost.dll");
        var resources = Path.Combine(stateFolder, "resources.json");
        if (File.Exists(resources))
        {
            File.Delete(resources);
        }
        var httpPort = PortAllocator.GetFreePort();
        var grpcPort = PortAllocator.GetFreePort();
        List<string> arguments = [program, "--state-dir", stateFolder, "--throwaway", "--quiet",
            "--gateway-http-port", httpPort.ToString(), "--gateway-grpc-port", grpcPort.ToString()];
        if (fresh)
        {
            arguments.Add("--fresh");
        }
        arguments.AddRange(extraArguments);
        var output = new ConcurrentQueue<string>();
        var process = ManagedProcess.Start(
            new ProcessSpec($"apphost-{Guid.NewGuid():N}"[..16], "dotnet", arguments) { StopSignal = Posix.SIGINT, StopTimeout = TimeSpan.FromSeconds(60) },
            registry, (_, line) => output.Enqueue(line));
        var run = new AppHostRun(process, output, stateFolder, httpPort, grpcPort);

        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(resources))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var reason = process.HasExited ? $"exited with {process.ExitCode}" : "did not start within 3 minutes";
                await run.DisposeAsync();
                throw new InvalidOperationException($"AppHost {reason}:{Environment.NewLine}{run.Output}");
            }
            await Task.Delay(200);
        }
        return run;
    }

    /// <summary>The pid of a service as the AppHost recorded it when everything was up.</summary>
    public int ResourcePid(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateFolder, "resources.json")));
        return document.RootElement.EnumerateArray()
            .Single(resource => resource.GetProperty("Name").GetString() == name)
            .GetProperty("Pid").GetInt32();
    }

    /// <summary>A service's own endpoint (bypassing the gateway), as the AppHost recorded it.</summary>
    public Uri ResourceEndpoint(string name, string endpoint)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateFolder, "resources.json")));
        return new Uri(document.RootElement.EnumerateArray()
            .Single(resource => resource.GetProperty("Name").GetString() == name)
            .GetProperty("Endpoints").GetProperty(endpoint).GetString()!);
    }

    /// <summary>A database's connection string as the AppHost handed it to its service (for benchmarks and checks).</summary>
    public string ResourceConnectionString(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateFolder, "resources.json")));
        return document.RootElement.EnumerateArray()
            .Single(resource => resource.GetProperty("Name").GetString() == name)
            .GetProperty("ConnectionString").GetString()!;
    }

    /// <summary>
    /// The same database as the PostgreSQL superuser (its generated password is kept beside the cluster's data), for
    /// checks that must see every tenant's rows regardless of row-level security.
    /// </summary>
    public string SuperuserConnectionString(string name)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ResourceConnectionString(name));
        var folder = Path.Combine(StateFolder, ParPlatform.Contracts.ResourceNames.Postgres);
        var relocation = Path.Combine(folder, ParPlatform.Hosting.Infrastructure.PostgresServer.RelocationMarker);
        if (File.Exists(relocation))
        {
            folder = File.ReadAllText(relocation).Trim();
        }
        builder.Username = ParPlatform.Hosting.Infrastructure.PostgresServer.Superuser;
        builder.Password = File.ReadAllText(Path.Combine(folder, "password")).Trim();
        return builder.ConnectionString;
    }

    /// <summary>Every process group the AppHost has recorded in its state folder right now.</summary>
    public IReadOnlyList<int> RecordedProcessGroups()
    {
        var folder = Path.Combine(StateFolder, "pids");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.pid").Select(file => int.Parse(File.ReadAllText(file).Split(' ')[0])).ToList()
            : [];
    }

    /// <summary>Ctrl+C: SIGINT to the AppHost, which stops everything it started.</summary>
    public async Task<int> StopAsync()
    {
        await _process.StopAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync() => await _process.StopAsync();

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
