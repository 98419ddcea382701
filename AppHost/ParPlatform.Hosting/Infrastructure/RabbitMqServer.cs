using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Hosting.Infrastructure;

/// <summary>
/// A RabbitMQ broker from the Debian package, as a local process: its own node name, ports, data and log folders,
/// bound to 127.0.0.1, with a private epmd (Erlang's port mapper) on its own port so that nothing is left running
/// system-wide and two brokers (the platform's and a test's) never meet.
/// </summary>
public sealed class RabbitMqServer(string folder, int amqpPort, Action<string, string> log)
{
    public const string User = "par";
    private ManagedProcess? _epmd;
    private ManagedProcess? _broker;
    private readonly int _epmdPort = PortAllocator.GetFreePort();
    private readonly int _distributionPort = PortAllocator.GetFreePort();

    public int Port => amqpPort;
    public string Password { get; private set; } = "";
    public ManagedProcess? Process => _broker;

    /// <summary>The amqp:// URI handed to services as <c>ConnectionStrings__messaging</c>.</summary>
    public string ConnectionString => $"amqp://{User}:{Password}@127.0.0.1:{amqpPort}/";

    public static (string Server, string Epmd) FindBinaries()
    {
        string[] servers = ["/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/local/lib/rabbitmq/bin/rabbitmq-server"];
        var server = servers.FirstOrDefault(File.Exists) ?? throw new SetupMissingException("RabbitMQ (rabbitmq-server)");
        string[] epmds = ["/usr/bin/epmd", "/usr/lib/erlang/bin/epmd"];
        var epmd = epmds.FirstOrDefault(File.Exists) ?? throw new SetupMissingException("Erlang's epmd (erlang-base)");
        return (server, epmd);
    }

    public async Task StartAsync(ProcessRegistry registry, CancellationToken cancellationToken)
    {
        var (server, epmd) = FindBinaries();
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
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), cancellationToken);
        }
        Password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        // The node name is fixed per state folder, so a restarted broker finds its queues again.
        var nodeName = $"par{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..10].ToLowerInvariant()}@localhost";

        var config = Path.Combine(folder, "rabbitmq.conf");
        await File.WriteAllTextAsync(config, $"""
            listeners.tcp.1 = 127.0.0.1:{amqpPort}
            loopback_users = none
            default_user = {User}
            default_pass = {Password}
            disk_free_limit.absolute = 100MB
            log.console = true
            log.console.level = warning
            log.file = false
            """, cancellationToken);
        var plugins = Path.Combine(folder, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].", cancellationToken);

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(),
            ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = data,
            ["RABBITMQ_LOG_BASE"] = logs,
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf"),
        };

        _epmd = ManagedProcess.Start(
            new ProcessSpec("epmd", epmd, ["-port", _epmdPort.ToString(), "-address", "127.0.0.1"]) { Environment = environment },
            registry, log);
        _broker = ManagedProcess.Start(
            new ProcessSpec("rabbitmq", server, []) { Environment = environment, WorkingDirectory = folder, StopTimeout = TimeSpan.FromSeconds(30) },
            registry, log);
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>Ready means the broker answers the AMQP protocol header with Connection.Start, not merely that the
    /// port is open.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_broker!.HasExited)
            {
                throw new InvalidOperationException($"RabbitMQ exited with code {_broker.ExitCode} while starting; see its log lines above.");
            }
            if (await AnswersAmqpAsync(amqpPort, cancellationToken))
            {
                return;
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException("RabbitMQ did not become ready within 90 s.");
    }

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

    /// <summary>Stops the broker, keeping its data; <see cref="StartAsync"/> brings it back with its queues.</summary>
    public async Task StopAsync()
    {
        if (_broker is not null)
        {
            await _broker.StopAsync();
        }
        if (_epmd is not null)
        {
            await _epmd.StopAsync();
        }
    }
}
