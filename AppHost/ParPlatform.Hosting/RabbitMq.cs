using System.Net.Sockets;
using System.Net;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ParPlatform.Hosting;

/// <summary>
/// RabbitMQ from the Debian package as an executable resource (Aspire's <c>AddRabbitMQ</c> needs a container
/// engine): its own node name, ports, data and log folders, bound to 127.0.0.1, with a private epmd (Erlang's port
/// mapper) as a resource of its own, so nothing is left running system-wide and two brokers never meet.
/// </summary>
public sealed class RabbitMqServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string User = "par";
    public const string AmqpEndpointName = "amqp";
    public const string DistributionEndpointName = "dist";

    public ParameterResource Password { get; } = password;
    public EndpointReference Amqp => new(this, AmqpEndpointName);

    /// <summary>The amqp:// URI handed to services as <c>ConnectionStrings__messaging</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{RabbitMqServerResource.User}:{Password}@127.0.0.1:{Amqp.Property(EndpointProperty.Port)}/");
}

public static class RabbitMqBuilderExtensions
{
    public static IResourceBuilder<RabbitMqServerResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string name, string stateFolder)
    {
        var (serverPath, epmdPath) = FindBinaries();
        var folder = Path.Combine(stateFolder, name);
        var home = Path.Combine(folder, "home");
        var data = Path.Combine(folder, "data");
        var logs = Path.Combine(folder, "log");
        foreach (var dir in new[] { home, data, logs })
        {
            Directory.CreateDirectory(dir);
        }
        var passwordFile = Path.Combine(folder, "password");
        if (!File.Exists(passwordFile))
        {
            File.WriteAllText(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        }
        var password = File.ReadAllText(passwordFile).Trim();
        // The node name is fixed per state folder, so a restarted broker finds its queues again.
        var nodeName = $"par{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..10].ToLowerInvariant()}@localhost";
        var config = Path.Combine(folder, "rabbitmq.conf");
        // raft.wal_max_size_bytes: the quorum queues' write-ahead log keeps what it wrote in memory until it rolls over
        // (512 MB by default); at survey intake rates the broker then grew by ~320 MB in a 10-minute run. 64 MB bounds it.
        File.WriteAllText(config, $"""
            loopback_users = none
            default_user = {RabbitMqServerResource.User}
            default_pass = {password}
            disk_free_limit.absolute = 100MB
            raft.wal_max_size_bytes = 67108864
            log.console = true
            log.console.level = warning
            log.file = false
            """);
        var plugins = Path.Combine(folder, "enabled_plugins");
        File.WriteAllText(plugins, "[].");

        // epmd in the foreground, on a port of its own (epmd reads ERL_EPMD_PORT), loopback only.
        var epmd = builder.AddExecutable($"{name}-epmd", epmdPath, folder, "-address", "127.0.0.1")
            .WithEndpoint(name: "tcp", env: "ERL_EPMD_PORT", isProxied: false);
        var epmdPort = epmd.GetEndpoint("tcp");

        var server = new RabbitMqServerResource(name, serverPath, folder, builder.AddParameter($"{name}-password", password, secret: true).Resource);
        var healthCheck = $"{name}-answers-amqp";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await AnswersAmqpAsync(server.Amqp.Port, cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("no AMQP Connection.Start yet"));
        return builder.AddResource(server)
            .WithEndpoint(name: RabbitMqServerResource.AmqpEndpointName, scheme: "amqp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithEndpoint(name: RabbitMqServerResource.DistributionEndpointName, env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithEnvironment("ERL_EPMD_PORT", ReferenceExpression.Create($"{epmdPort.Property(EndpointProperty.Port)}"))
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("HOME", home)
            .WithEnvironment("RABBITMQ_NODENAME", nodeName)
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", data)
            .WithEnvironment("RABBITMQ_LOG_BASE", logs)
            .WithEnvironment("RABBITMQ_CONFIG_FILE", config)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", plugins)
            .WithEnvironment("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(folder, "advanced.config"))
            .WithEnvironment("RABBITMQ_CONF_ENV_FILE", Path.Combine(folder, "rabbitmq-env.conf"))
            .WaitFor(epmd)
            .WithHealthCheck(healthCheck);
    }
    public static (string Server, string Epmd) FindBinaries()
    {
        string[] servers = ["/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/local/lib/rabbitmq/bin/rabbitmq-server"];
        var server = servers.FirstOrDefault(File.Exists) ?? throw new SetupMissingException("RabbitMQ (rabbitmq-server)");
        string[] epmds = ["/usr/bin/epmd", "/usr/lib/erlang/bin/epmd"];
        var epmd = epmds.FirstOrDefault(File.Exists) ?? throw new SetupMissingException("Erlang's epmd (erlang-base)");
        return (server, epmd);
    }

    /// <summary>Ready means the broker answers the AMQP protocol header with Connection.Start, not merely that the
    /// port is open.</summary>
    public static async Task<bool> AnswersAmqpAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\x09\x01"u8.ToArray(), cancellationToken);
            var frameType = new byte[1];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var read = await stream.ReadAsync(frameType, timeout.Token);
            return read == 1 && frameType[0] == 1; // a method frame: Connection.Start
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
