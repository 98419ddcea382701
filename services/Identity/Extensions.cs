using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using ParPlatform.Contracts;
using ParPlatform.Identity.Data;
using ParPlatform.Identity.Keys;
using ParPlatform.Identity.Management;
using ParPlatform.Identity.Seed;
using ParPlatform.Identity.Tokens;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Identity;

internal static class Extensions
{
    public const string TokenPath = "api/identity/connect/token";
    public const string AuthorizePath = "api/identity/connect/authorize";
    public const string LogoutPath = "api/identity/connect/logout";
    public const string RevokePath = "api/identity/connect/revoke";

    /// <summary>Every dependency of the identity service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Identity publishes and consumes no events: no broker (its pings were the only use of MassTransit).
        builder.AddPlatformService(ResourceNames.Identity, ResourceNames.IdentityDb, typeof(Program).Assembly, messaging: false);
        var settings = TokenSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<SecretHasher>();
        builder.Services.AddSingleton<Accounts>();
        builder.Services.AddSingleton<AccessAudit>();
        builder.Services.AddSingleton<TokenEndpoint>();
        builder.Services.AddSingleton<AccountRules>();
        builder.Services.AddSingleton<RefreshTokens>();
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
                .SetAuthorizationEndpointUris(AuthorizePath)
                .SetEndSessionEndpointUris(LogoutPath)
                .SetRevocationEndpointUris(RevokePath)
                .SetConfigurationEndpointUris("api/identity/.well-known/openid-configuration")
                .SetJsonWebKeySetEndpointUris("api/identity/.well-known/jwks");
            // Officials: authorization code + PKCE from browser apps (refresh tokens rotate), password grant for scripts
            // and tests; machines: client credentials.
            server.AllowPasswordFlow().AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
            server.RequireProofKeyForCodeExchange();
            server.RegisterScopes(OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile, OpenIddictConstants.Scopes.OfflineAccess);
            // Officials sign in with username + password only (no client id); machines must authenticate as clients.
            server.AcceptAnonymousClients();
            server.EnableDegradedMode().DisableTokenStorage();
            // Degraded mode wants request validators. Client secrets and passwords are both checked in TokenEndpoint,
            // which every token request reaches (passthrough), next to the database and the audit; codes and refresh
            // tokens are validated by OpenIddict itself (signature, expiry, client, PKCE) before it gets there.
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler =>
                handler.UseInlineHandler(_ => ValueTask.CompletedTask));
            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler =>
                handler.UseInlineHandler(context =>
                {
                    var client = settings.BrowserClients.FirstOrDefault(c => c.ClientId == context.ClientId);
                    if (client is null)
                    {
                        context.Reject(OpenIddictConstants.Errors.InvalidClient, "The client is not a registered browser app.");
                    }
                    else if (!client.RedirectUris.Contains(context.RedirectUri ?? ""))
                    {
                        context.Reject(OpenIddictConstants.Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                    }
                    return ValueTask.CompletedTask;
                }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(handler =>
                handler.UseInlineHandler(context =>
                {
                    if (context.PostLogoutRedirectUri is { } address && !settings.BrowserClients.Any(c => c.PostLogoutRedirectUris.Contains(address)))
                    {
                        context.Reject(OpenIddictConstants.Errors.InvalidRequest, "The post_logout_redirect_uri is not registered.");
                    }
                    return ValueTask.CompletedTask;
                }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateRevocationRequestContext>(handler =>
                handler.UseInlineHandler(_ => ValueTask.CompletedTask));
            // Revoking a refresh token revokes its whole family (the sign-in it came from).
            server.AddEventHandler<OpenIddictServerEvents.HandleRevocationRequestContext>(handler =>
                handler.UseInlineHandler(async context =>
                {
                    if (Guid.TryParse(context.GenericTokenPrincipal?.GetClaim(RefreshTokens.TokenIdClaim), out var tokenId))
                    {
                        var services = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices;
                        await services.GetRequiredService<RefreshTokens>().RevokeFamilyOfAsync(tokenId);
                    }
                }));
            // Discovery from outside (through the gateway, which adds X-Forwarded-For): the gateway's public addresses,
            // not the one the request reached this service on. Services inside ask directly (no such header) and keep
            // the in-cluster addresses, so they never depend on reaching the public address from inside.
            server.AddEventHandler<OpenIddictServerEvents.ApplyConfigurationResponseContext>(handler =>
                handler.UseInlineHandler(context =>
                {
                    if (settings.PublicBaseUrl is { } publicBase
                        && context.Transaction.GetHttpRequest()?.Headers.ContainsKey("X-Forwarded-For") == true)
                    {
                        foreach (var (name, value) in context.Response.GetParameters().ToList())
                        {
                            if ((name.EndsWith("_endpoint", StringComparison.Ordinal) || name == "jwks_uri")
                                && Uri.TryCreate((string?)value, UriKind.Absolute, out var address))
                            {
                                context.Response.SetParameter(name, new Uri(publicBase, address.PathAndQuery.TrimStart('/')).ToString());
                            }
                        }
                    }
                    return ValueTask.CompletedTask;
                }));
            server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
            // Services and the gateway read the claims: the token is signed (JWS), not encrypted (JWE).
            server.DisableAccessTokenEncryption();
            // Only tokens this server alone reads (authorization codes, refresh tokens) use this key. Ephemeral: a restart
            // (or another replica) cannot read earlier ones, so browsers sign in again; see the README.
            server.AddEphemeralEncryptionKey();
            // TLS ends at the ingress in front of the gateway; inside, services speak plain HTTP.
            server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough().DisableTransportSecurityRequirement();
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
