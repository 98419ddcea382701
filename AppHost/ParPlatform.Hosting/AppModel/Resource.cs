namespace ParPlatform.Hosting.AppModel;

public enum ResourceState { Waiting, Starting, Running, Healthy, Restarting, Stopping, Stopped, Failed }

/// <summary>A thing the AppHost runs, in the spirit of Aspire's resources: named, started after what it waits for.</summary>
public abstract class Resource(string name)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;
    public ResourceState State { get; protected set; } = ResourceState.Waiting;
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Completes once the resource is healthy for the first time; dependents start after it.</summary>
    public Task Ready => _ready.Task;

    /// <summary>What the resource table prints for it.</summary>
    public abstract string Describe();

    internal async Task RunAsync(AppRunContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(WaitsFor.Select(dependency => dependency.Ready)).WaitAsync(cancellationToken);
            State = ResourceState.Starting;
            await StartAsync(context, cancellationToken);
            State = ResourceState.Healthy;
            _ready.TrySetResult();
        }
        catch (Exception exception)
        {
            State = ResourceState.Failed;
            _ready.TrySetException(exception);
            throw;
        }
    }

    protected abstract Task StartAsync(AppRunContext context, CancellationToken cancellationToken);

    internal abstract Task StopAsync();
}

/// <summary>A resource whose connection string services receive as <c>ConnectionStrings__{Name}</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }
    string ConnectionString { get; }
}

/// <summary>A resource other services address through service discovery (<c>services__{Name}__{endpoint}__0</c>).</summary>
public interface IResourceWithEndpoints
{
    string Name { get; }
    IReadOnlyDictionary<string, string> Endpoints { get; }
}
