using ParPlatform.Hosting.Infrastructure;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Hosting.AppModel;

public sealed class PostgresResource(string name, int port) : Resource(name)
{
    public PostgresServer? Server { get; private set; }
    public List<PostgresDatabaseResource> Databases { get; } = [];
    public int Port => port;

    protected override async Task StartAsync(AppRunContext context, CancellationToken cancellationToken)
    {
        Server = new PostgresServer(Path.Combine(context.StateFolder, Name), port, context.Log, context.Throwaway);
        await Server.StartAsync(context.Registry, cancellationToken);
    }

    internal override Task StopAsync() => Server?.StopAsync() ?? Task.CompletedTask;

    public override string Describe() => $"127.0.0.1:{port} (user {PostgresServer.Superuser})";
}

/// <summary>A database on a server, created if missing (Aspire's AddDatabase).</summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    public PostgresDatabaseResource(string name, string databaseName, PostgresResource server) : base(name)
    {
        DatabaseName = databaseName;
        Server = server;
        WaitsFor.Add(server);
    }

    public string DatabaseName { get; }
    public PostgresResource Server { get; }
    public string ConnectionString => Server.Server!.ServiceConnectionString(DatabaseName);

    protected override Task StartAsync(AppRunContext context, CancellationToken cancellationToken) =>
        Server.Server!.CreateDatabaseAsync(DatabaseName, cancellationToken);

    internal override Task StopAsync() => Task.CompletedTask;

    public override string Describe() => $"database {DatabaseName} on {Server.Name}";
}

public sealed class RabbitMqResource(string name, int port) : Resource(name), IResourceWithConnectionString
{
    public RabbitMqServer? Server { get; private set; }
    public string ConnectionString => Server!.ConnectionString;

    protected override async Task StartAsync(AppRunContext context, CancellationToken cancellationToken)
    {
        Server = new RabbitMqServer(Path.Combine(context.StateFolder, Name), port, context.Log);
        await Server.StartAsync(context.Registry, cancellationToken);
    }

    internal override Task StopAsync() => Server?.StopAsync() ?? Task.CompletedTask;

    public override string Describe() => $"amqp://127.0.0.1:{port}";
}
