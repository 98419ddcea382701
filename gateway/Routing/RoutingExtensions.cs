using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace ParPlatform.Gateway.Routing;

internal static class RoutingExtensions
{
    public static IReverseProxyBuilder AddServiceDiscoveryDestinationResolver(this IReverseProxyBuilder proxy)
    {
        proxy.Services.AddSingleton<IDestinationResolver>(services =>
            new ServiceDiscoveryDestinationResolver(services.GetRequiredService<ServiceEndpointResolver>()));
        return proxy;
    }

    /// <summary><c>GET /</c>: what the gateway routes, so a person who opens it in a browser knows where to go.</summary>
    public static void MapGatewayIndex(this WebApplication app)
    {
        app.MapGet("/", (IProxyConfigProvider config) => TypedResults.Ok(new
        {
            name = "ParPlatform gateway",
            rest = config.GetConfig().Routes
                .Where(route => route.Match.Path is not null)
                .Select(route => route.Match.Path)
                .Order(),
            health = new[] { "/health", "/alive" },
        }));
    }
}
