using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;

namespace ParPlatform.Testing;

/// <summary>
/// Hosts one service in the test process on real Kestrel sockets (REST on HTTP/1.1, gRPC on h2c), configured exactly
/// as the AppHost configures it (<c>ConnectionStrings__*</c>, <c>services__*</c>, Kestrel endpoints), against the
/// real PostgreSQL and RabbitMQ of <see cref="TestInfrastructure"/>. Tests may replace services, e.g. the clock.
/// </summary>
public sealed class ServiceHost<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private readonly Dictionary<string, string?> _configuration;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly TestInfrastructure _infrastructure;

    public ServiceHost(
        TestInfrastructure infrastructure,
        string databaseResourceName,
        string databaseConnectionString,
        IReadOnlyDictionary<string, string>? extraConfiguration = null,
        Action<IServiceCollection>? configureServices = null)
    {
        HttpPort = LoopbackPort.Free();
        GrpcPort = LoopbackPort.Free();
        DatabaseConnectionString = databaseConnectionString;
        _infrastructure = infrastructure;
        _configureServices = configureServices;
        _configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{databaseResourceName}"] = databaseConnectionString,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = infrastructure.MessagingConnectionString,
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{HttpPort}",
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{GrpcPort}",
            // Service tests act as callers through X-Par-* headers (TestCaller); never set outside tests.
            ["Identity:TrustInterimHeaders"] = "true",
        };
        foreach (var (key, value) in extraConfiguration ?? new Dictionary<string, string>())
        {
            _configuration[key] = value;
        }
        UseKestrel();
    }

    public int HttpPort { get; }
    public int GrpcPort { get; }
    /// <summary>The connection string the service runs with: its own role, under row-level security.</summary>
    public string DatabaseConnectionString { get; }

    /// <summary>The service's database as the superuser, for a test's own checks across every tenant's rows.</summary>
    public string SuperuserConnectionString => _infrastructure.AsSuperuser(DatabaseConnectionString);
    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}");
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    /// <summary>Starts the service (migrations included) and returns once it listens.</summary>
    public ServiceHost<TProgram> Start()
    {
        StartServer();
        return this;
    }

    /// <summary>An HttpClient over a real socket to the REST endpoint.</summary>
    public HttpClient CreateRestClient() => new() { BaseAddress = HttpAddress };

    /// <summary>A gRPC channel over a real h2c socket to the gRPC endpoint.</summary>
    public GrpcChannel CreateGrpcChannel() => GrpcChannel.ForAddress(GrpcAddress);

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration, not app configuration: values read before Build() (connection strings) must see it.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(_configuration));
        builder.UseEnvironment(Environments.Development);
        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("detailedErrors", "true");
}
