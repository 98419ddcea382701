using ParPlatform.Hosting.Processes;

namespace ParPlatform.Hosting.AppModel;

/// <summary>
/// A .NET service run as its built program (<c>dotnet bin/.../X.dll</c>) with the environment Aspire would give it:
/// <c>ConnectionStrings__*</c> and <c>services__*__*__0</c> for its references, <c>Kestrel__Endpoints__{name}__Url</c>
/// for its own endpoints (Aspire overrides Kestrel-configured endpoints the same way), <c>OTEL_*</c>. It is healthy
/// when <c>/health</c> answers 200, and is restarted with backoff when it exits unexpectedly.
/// </summary>
public sealed class ProjectResource(string name, string projectDirectory) : Resource(name), IResourceWithEndpoints
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Dictionary<string, int> _ports = [];
    private readonly List<object> _references = [];
    private readonly Dictionary<string, string> _environment = [];
    private readonly CancellationTokenSource _stopping = new();
    private ManagedProcess? _process;
    private Task? _supervision;

    public string ProjectDirectory => projectDirectory;
    public int Restarts { get; private set; }
    public int? Pid => _process?.Pid;

    public IReadOnlyDictionary<string, string> Endpoints =>
        _ports.ToDictionary(port => port.Key, port => $"http://127.0.0.1:{port.Value}");

    public ProjectResource WithEndpoint(string endpointName, int? port = null)
    {
        _ports[endpointName] = port ?? PortAllocator.GetFreePort();
        return this;
    }

    public ProjectResource WithReference(IResourceWithConnectionString resource)
    {
        _references.Add(resource);
        return this;
    }

    public ProjectResource WithReference(IResourceWithEndpoints resource)
    {
        _references.Add(resource);
        return this;
    }

    public ProjectResource WithEnvironment(string key, string value)
    {
        _environment[key] = value;
        return this;
    }

    public ProjectResource WaitFor(Resource resource)
    {
        WaitsFor.Add(resource);
        return this;
    }

    public override string Describe() => string.Join("  ", Endpoints.Select(endpoint => $"{endpoint.Key} {endpoint.Value}"));

    internal Dictionary<string, string> BuildEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Name}-{Guid.NewGuid():N}",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }
        foreach (var (endpoint, url) in Endpoints)
        {
            environment[$"Kestrel__Endpoints__{endpoint}__Url"] = url;
        }
        foreach (var reference in _references)
        {
            switch (reference)
            {
                case IResourceWithConnectionString withConnection:
                    environment[$"ConnectionStrings__{withConnection.Name}"] = withConnection.ConnectionString;
                    break;
                case IResourceWithEndpoints withEndpoints:
                    foreach (var (endpoint, url) in withEndpoints.Endpoints)
                    {
                        environment[$"services__{withEndpoints.Name}__{endpoint}__0"] = url;
                    }
                    break;
            }
        }
        foreach (var (key, value) in _environment)
        {
            environment[key] = value;
        }
        return environment;
    }

    protected override async Task StartAsync(AppRunContext context, CancellationToken cancellationToken)
    {
        // A service that dies while starting (its broker connection timed out on a loaded machine, say) gets the
        // same second chance an orchestrator gives a crashed pod, before the whole start is given up.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchAsync(context, cancellationToken);
                break;
            }
            catch (ServiceExitedException exception) when (attempt < StartAttempts)
            {
                context.Log("apphost", $"{exception.Message} Last log lines:{Environment.NewLine}{LogTail(context)}");
                await _process!.StopAsync();
                Restarts++;
                var delay = TimeSpan.FromSeconds(attempt * 2);
                context.Log("apphost", $"{Name}: start attempt {attempt} of {StartAttempts} failed; trying again in {delay.TotalSeconds:0} s");
                await Task.Delay(delay, cancellationToken);
            }
            catch (ServiceExitedException exception)
            {
                throw new InvalidOperationException($"{exception.Message} Last log lines:{Environment.NewLine}{LogTail(context)}", exception);
            }
        }
        _supervision = SuperviseAsync(context);
    }

    private const int StartAttempts = 3;

    private string LogTail(AppRunContext context)
    {
        var log = Path.Combine(context.StateFolder, "logs", $"{Name}.log");
        return File.Exists(log) ? string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(40)) : "(no log)";
    }

    private sealed class ServiceExitedException(string message) : Exception(message);

    private async Task LaunchAsync(AppRunContext context, CancellationToken cancellationToken)
    {
        var program = FindBuiltProgram(context);
        _process = ManagedProcess.Start(
            new ProcessSpec(Name, "dotnet", [program])
            {
                Environment = BuildEnvironment(),
                WorkingDirectory = Path.GetDirectoryName(program),
                StopTimeout = TimeSpan.FromSeconds(20),
            },
            context.Registry, context.Log);
        await WaitUntilHealthyAsync(cancellationToken);
    }

    private string FindBuiltProgram(AppRunContext context)
    {
        var output = Path.Combine(context.RepositoryRoot, projectDirectory, "bin", context.BuildConfiguration, "net10.0");
        var runtimeConfig = Directory.Exists(output)
            ? Directory.GetFiles(output, "*.runtimeconfig.json").FirstOrDefault()
            : null;
        return runtimeConfig is null
            ? throw new FileNotFoundException(
                $"{Name}: no built program in {output}. Build the solution first (dotnet build ParPlatform.sln -c {context.BuildConfiguration}).")
            : runtimeConfig.Replace(".runtimeconfig.json", ".dll");
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var health = $"{Endpoints["http"]}/health";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new ServiceExitedException($"{Name} exited with code {_process.ExitCode} while starting.");
            }
            try
            {
                using var response = await Http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"{Name} did not report healthy at {health} within 120 s.");
    }

    /// <summary>Restarts the service when it exits on its own: 1 s, 2 s, 4 s ... up to 30 s between attempts,
    /// back to 1 s once it has stayed up for a minute.</summary>
    private async Task SuperviseAsync(AppRunContext context)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            var startedAt = DateTime.UtcNow;
            try
            {
                await _process!.WaitForExitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (DateTime.UtcNow - startedAt > TimeSpan.FromMinutes(1))
            {
                backoff = TimeSpan.FromSeconds(1);
            }
            State = ResourceState.Restarting;
            context.Log(Name, $"exited unexpectedly with code {_process.ExitCode}; restarting in {backoff.TotalSeconds:0} s");
            try
            {
                await Task.Delay(backoff, _stopping.Token);
                await _process.StopAsync(); // reaps the rest of its group and its registry entry
                Restarts++;
                await LaunchAsync(context, _stopping.Token);
                State = ResourceState.Healthy;
                context.Log(Name, $"restarted (pid {_process.Pid})");
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception)
            {
                context.Log(Name, $"restart failed: {exception.Message}");
            }
            backoff = TimeSpan.FromSeconds(Math.Min(backoff.TotalSeconds * 2, 30));
        }
    }

    internal override async Task StopAsync()
    {
        await _stopping.CancelAsync();
        State = ResourceState.Stopping;
        if (_supervision is not null)
        {
            await _supervision;
        }
        if (_process is not null)
        {
            await _process.StopAsync();
        }
        State = ResourceState.Stopped;
    }
}
