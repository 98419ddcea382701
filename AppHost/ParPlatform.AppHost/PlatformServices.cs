namespace ParPlatform.AppHost;

internal static class PlatformServices
{
    /// <summary>
    /// What every project of the platform gets: its two Kestrel endpoints (declared in its appsettings.json: <c>http</c>
    /// as HTTP/1.1, <c>grpc</c> as h2c) on ports the orchestrator picks, or fixed ones, without DCP's proxy in between
    /// (one hop less per call), its readiness probe, and OTLP export to the dashboard that gives up quickly at shutdown.
    /// </summary>
    /// <param name="grpc">False for the web console, which serves browsers only (no <c>grpc</c> endpoint).</param>
    public static IResourceBuilder<ProjectResource> AsPlatformService(
        this IResourceBuilder<ProjectResource> project, int? httpPort = null, int? grpcPort = null, bool grpc = true)
    {
        project.WithEndpoint(ParPlatform.Contracts.ResourceNames.HttpEndpoint, endpoint =>
        {
            endpoint.Port = httpPort;
            endpoint.TargetPort = httpPort;
            endpoint.IsProxied = false;
        });
        if (grpc)
        {
            project.WithEndpoint(ParPlatform.Contracts.ResourceNames.GrpcEndpoint, endpoint =>
            {
                endpoint.Port = grpcPort;
                endpoint.TargetPort = grpcPort;
                endpoint.IsProxied = false;
            });
        }
        return project
            .WithHttpHealthCheck("/health", endpointName: ParPlatform.Contracts.ResourceNames.HttpEndpoint)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            // The exporter's last flush must not hold a stopping service when the dashboard has already gone.
            .WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "1000")
            // dotnet's own first-run and telemetry: nothing may call outside loopback.
            .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .WithEnvironment("DOTNET_NOLOGO", "1")
            .WithEnvironment("DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE", "1")
            .WithEnvironment("DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1");
    }
}

internal static class Ports
{
    /// <summary>The port asked for (0: any), else the default when it is free, else any (the orchestrator picks).</summary>
    public static int? OrFree(int? requested, int preferred) => requested switch
    {
        0 => null,
        { } port => port,
        null => IsFree(preferred) ? preferred : null,
    };

    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
