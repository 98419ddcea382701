using ParPlatform.Gateway.Security;

namespace ParPlatform.Gateway;

internal static class Extensions
{
    /// <summary>Every dependency of the gateway, registered in one place.</summary>
    public static GatewaySettings AddGatewayServices(this WebApplicationBuilder builder)
    {
        var settings = GatewaySettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The per-route limits are applied per request; Kestrel's own cap is the largest of them.
            kestrel.Limits.MaxRequestBodySize = settings.RequestBodyLimits.Select(limit => limit.MaxBytes).Append(settings.MaxRequestBodySize).Max();
        });
        builder.AddGatewayAccess(settings);
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return settings;
    }
}
