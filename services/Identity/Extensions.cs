using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using ParPlatform.Contracts;
using ParPlatform.Identity.Management;
using ParPlatform.Identity.Data;
using ParPlatform.Identity.Keys;
using ParPlatform.Identity.Seed;
using ParPlatform.Identity.Tokens;

namespace ParPlatform.Identity;

internal static class Extensions
{
    public const string TokenPath = "api/identity/connect/token";

    /// <summary>Every dependency of the identity service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Identity, ResourceNames.IdentityDb, typeof(Program).Assembly);
        var settings = TokenSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<SecretHasher>();
        builder.Services.AddSingleton<Accounts>();
        builder.Services.AddSingleton<AccessAudit>();
        builder.Services.AddSingleton<TokenEndpoint>();
        builder.Services.AddSingleton<AccountRules>();
        builder.Services.AddHttpClient<CriteriaUnits>(http => http.BaseAddress = new Uri(CriteriaUnits.Address));
        builder.Services.AddSingleton<SigningKeyRing>();
        // Hosted services run in order after the migrator, before the server listens: keys, then demo accounts.
        builder.Services.AddHostedService<SigningKeyRotator>();
        if (builder.Configuration.GetValue<bool>("Seed:Demo"))
        {
            builder.Services.AddHostedService<DemoAccounts>();
        }

        // OpenIddict's "degraded mode": its protocol handling without its EF Core stores. Users, clients and keys
        // live in our own tables, read with Dapper; no token is stored (access tokens are self-contained JWTs).
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(settings.Issuer)
                .SetTokenEndpointUris(TokenPath)
                .SetConfigurationEndpointUris("api/identity/.well-known/openid-configuration")
                .SetJsonWebKeySetEndpointUris("api/identity/.well-known/jwks");
            server.AllowPasswordFlow().AllowClientCredentialsFlow();
            // Officials sign in with username + password only (no client id); machines must authenticate as clients.
            server.AcceptAnonymousClients();
            server.EnableDegradedMode().DisableTokenStorage();
            // Degraded mode wants a token request validator. Client secrets and passwords are both checked in
            // TokenEndpoint, which every token request reaches (passthrough), next to the database and the audit.
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler =>
                handler.UseInlineHandler(_ => ValueTask.CompletedTask));
            server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
            // Services and the gateway read the claims: the token is signed (JWS), not encrypted (JWE).
            server.DisableAccessTokenEncryption();
            // Only tokens this server alone reads (none issued today: no codes, no refresh tokens) use this key.
            server.AddEphemeralEncryptionKey();
            // TLS ends at the ingress in front of the gateway; inside, services speak plain HTTP.
            server.UseAspNetCore().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
        });
        if (builder.Configuration["Identity:Authority"] is null)
        {
            // This service is the issuer: it verifies the tokens it signed with the keys it holds (those it publishes
            // in its JWKS). Fetching its own metadata like every other service would look up "identity" through
            // service discovery, which it is not configured to find, and the retries made every call carrying a
            // token take 6-11 s.
            builder.Services.AddOptions<JwtBearerOptions>(PlatformJwt.Scheme).Configure<SigningKeyRing>((options, ring) =>
            {
                options.Configuration = new OpenIdConnectConfiguration { Issuer = settings.Issuer.ToString() };
                options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => ring.Keys;
            });
        }
        builder.Services.AddOptions<OpenIddictServerOptions>().Configure<SigningKeyRing>((options, ring) =>
        {
            // The signing key first: OpenIddict signs with the first key and publishes all of them.
            foreach (var key in ring.Keys)
            {
                options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
            }
        });
    }
}
