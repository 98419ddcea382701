using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;

namespace ParPlatform.ServiceDefaults.Identity;

/// <summary>
/// Verified access tokens, the same way in the gateway and in every service: JWTs from the platform's identity
/// service (found through service discovery) or, by setting <c>Identity:Authority</c> and <c>Identity:Audience</c>,
/// from any OIDC issuer such as a province's single sign-on. Services verify the very token the gateway verified,
/// so an identity can never be forged between them.
/// </summary>
public static class PlatformJwt
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
    private const string MetadataClient = "identity-metadata";

    public static AuthenticationBuilder AddPlatformJwtBearer(
        this AuthenticationBuilder authentication, IConfiguration configuration, Action<JwtBearerOptions>? configure = null)
    {
        var authority = configuration["Identity:Authority"] ?? $"{ResourceNames.HttpAddress(ResourceNames.Identity)}/api/identity/";
        authentication.AddJwtBearer(Scheme, options =>
        {
            options.Authority = authority;
            options.Audience = configuration["Identity:Audience"] ?? "par-api";
            options.RequireHttpsMetadata = authority.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
            // Keep the token's claim names (sub, role, par:tenant) instead of the legacy WS-* URIs.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = PlatformClaims.Subject;
            options.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            // Re-read the issuer's keys hourly: the identity service publishes a new key two hours before it signs.
            options.AutomaticRefreshInterval = TimeSpan.FromHours(1);
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new CachingTokenHandler { MapInboundClaims = false });
            configure?.Invoke(options);
            // A verified token that does not say who is calling (sub, role, par:tenant) authenticates no one: without
            // this, services would see an authenticated user without a Caller (500s, or the in-cluster null caller).
            options.Events ??= new JwtBearerEvents();
            var validated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Result is null && (context.Principal is null || Caller.From(context.Principal) is null))
                {
                    context.Fail("The token carries no platform identity (sub, role and par:tenant are required).");
                }
            };
        });
        // The metadata client resolves http://_http.identity through service discovery like every other client.
        authentication.Services.AddHttpClient(MetadataClient);
        authentication.Services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IHttpClientFactory>((options, clients) => options.Backchannel = clients.CreateClient(MetadataClient));
        return authentication;
    }
}
