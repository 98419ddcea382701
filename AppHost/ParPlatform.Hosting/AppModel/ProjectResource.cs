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
        await LaunchAsync(context, cancellationToken);
        _supervision = SuperviseAsync(context);
    }

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
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting; see its log lines above.");
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
