using Yarp.ReverseProxy.Configuration;

namespace ParPlatform.Gateway.Routing;

internal static class RoutingExtensions
{
    /// <summary><c>GET /api</c>: what the gateway routes (<c>/</c> is the web console), and a 404 ProblemDetails for
    /// any other address under <c>/api</c>, so an API client's typo is not answered by the console's HTML page.</summary>
    public static void MapGatewayIndex(this WebApplication app)
    {
        app.Map("/api/{**rest}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound));
        app.MapGet("/api", (IProxyConfigProvider config) =>
        {
            var paths = config.GetConfig().Routes.Select(route => route.Match.Path).OfType<string>().Order().ToList();
            return TypedResults.Ok(new
            {
                name = "ParPlatform gateway",
                console = "/",
                rest = paths.Where(path => path.StartsWith("/api/", StringComparison.Ordinal)),
                grpc = paths.Where(path => !path.StartsWith("/api/", StringComparison.Ordinal) && path != "/{**rest}"),
                health = new[] { "/health", "/alive" },
            });
        }).AllowAnonymous();
    }
}
