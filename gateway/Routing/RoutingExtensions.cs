using Yarp.ReverseProxy.Configuration;

namespace ParPlatform.Gateway.Routing;

internal static class RoutingExtensions
{
    /// <summary><c>GET /</c>: what the gateway routes, so a person who opens it in a browser knows where to go.</summary>
    public static void MapGatewayIndex(this WebApplication app)
    {
        app.MapGet("/", (IProxyConfigProvider config) =>
        {
            var paths = config.GetConfig().Routes.Select(route => route.Match.Path).OfType<string>().Order().ToList();
            return TypedResults.Ok(new
            {
                name = "ParPlatform gateway",
                rest = paths.Where(path => path.StartsWith("/api/", StringComparison.Ordinal)),
                grpc = paths.Where(path => !path.StartsWith("/api/", StringComparison.Ordinal)),
                health = new[] { "/health", "/alive" },
            });
        }).AllowAnonymous();
    }
}
