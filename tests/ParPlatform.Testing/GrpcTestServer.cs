using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ParPlatform.Testing;

/// <summary>
/// Hosts a real gRPC service implementation (e.g. a criteria service serving fixed test data) on its own Kestrel h2c
/// loopback port, so the service under test calls it exactly as it calls the real one.
/// </summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Urls.Single());
    }

    public Uri Address { get; }

    /// <param name="services">Registers what the implementation needs (its data); the implementation itself is
    /// created by gRPC per call from those services.</param>
    public static async Task<GrpcTestServer> StartAsync<TService>(Action<IServiceCollection>? services = null) where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear(); // only the endpoint below, whatever appsettings sit in the test folder
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return new GrpcTestServer(app); // its port, picked by the kernel when Kestrel bound it
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
