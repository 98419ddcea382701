using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Web.SignIn;

/// <summary>
/// Signing in to the console: OpenID Connect authorization code + PKCE against the platform's identity service
/// (client <c>par-web</c>), then an HttpOnly, SameSite cookie that names a server-side session
/// (<see cref="UserSessions"/>). The browser is sent to the identity service's pages through the gateway's public
/// address (the one it reached the console on); the code is exchanged, and tokens refreshed, service to service.
/// </summary>
public static class ConsoleSignIn
{
    public const string SessionClaim = "par:session";
    private const string IdentityPrefix = "api/identity/";

    public static void AddConsoleSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserSessions>();
        // Identity's own address inside the platform (service discovery): discovery, code exchange, refresh.
        builder.Services.AddHttpClient(UserSessions.IdentityClient, client => client.BaseAddress = new(ResourceNames.HttpAddress(ResourceNames.Identity)));

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "par_console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax; // the sign-in returns by a top-level redirect
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure behind TLS (X-Forwarded-Proto)
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.AccessDeniedPath = "/";
                options.Events.OnValidatePrincipal = context =>
                {
                    // Signed out elsewhere, refresh refused (account disabled) or the console restarted: sign in again.
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
                    if (!sessions.IsActive(context.Principal?.FindFirstValue(SessionClaim)))
                    {
                        context.RejectPrincipal();
                        return context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(options =>
            {
                options.MetadataAddress = ResourceNames.HttpAddress(ResourceNames.Identity) + "/" + IdentityPrefix + ".well-known/openid-configuration";
                options.RequireHttpsMetadata = false; // inside the platform; TLS ends at the ingress
                options.ClientId = UserSessions.ClientId;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                // The code comes back in the query of a plain redirect: no auto-posting form (no script), and the
                // correlation cookies can stay SameSite=Lax, Secure only behind TLS, like the session cookie.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "offline_access" })
                {
                    options.Scope.Add(scope);
                }
                options.CallbackPath = "/signin-callback";
                options.SignedOutCallbackPath = "/signout-callback";
                options.SignedOutRedirectUri = "/";
                options.SaveTokens = false; // tokens stay in UserSessions, never in the cookie
                options.GetClaimsFromUserInfoEndpoint = false;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = PlatformClaims.Name;
                options.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
                options.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.IssuerAddress = PublicIdentityAddress(context.Request, "connect/authorize");
                    context.ProtocolMessage.UiLocales = System.Globalization.CultureInfo.CurrentUICulture.Name;
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.IssuerAddress = PublicIdentityAddress(context.Request, "connect/logout");
                    if (context.Properties.Items.TryGetValue("id_token_hint", out var hint))
                    {
                        context.ProtocolMessage.IdTokenHint = hint;
                    }
                    return Task.CompletedTask;
                };
                options.Events.OnTokenValidated = context =>
                {
                    var response = context.TokenEndpointResponse!;
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
                    var session = sessions.Start(response.AccessToken, response.RefreshToken, response.IdToken,
                        int.TryParse(response.ExpiresIn, out var seconds) ? seconds : 60);
                    context.Principal = ConsolePrincipal(response.AccessToken, session);
                    return Task.CompletedTask;
                };
                options.Events.OnRemoteFailure = context =>
                {
                    // A stale or replayed callback (back button, a second tab): start again rather than show an error page.
                    context.HandleResponse();
                    context.Response.Redirect("/");
                    return Task.CompletedTask;
                };
            });
        // The back channel reaches the identity service through service discovery, like any service-to-service call.
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IHttpMessageHandlerFactory>((options, handlers) => options.BackchannelHttpHandler = handlers.CreateHandler(UserSessions.IdentityClient));
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
    }

    public static void MapConsoleSignIn(this WebApplication app)
    {
        app.MapGet("/signin", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]));

        // A form post with the antiforgery token (the layout's sign-out button): ends the session here, then at the
        // identity service (which revokes the sign-in's refresh tokens), then back to the console.
        app.MapPost("/signout", async (HttpContext context, UserSessions sessions, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(context);
            var idToken = sessions.End(context.User.FindFirstValue(SessionClaim));
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (idToken is null)
            {
                return Results.LocalRedirect("/");
            }
            var properties = new AuthenticationProperties { RedirectUri = "/" };
            properties.Items["id_token_hint"] = idToken;
            return Results.SignOut(properties, [OpenIdConnectDefaults.AuthenticationScheme]);
        }).DisableAntiforgery(); // validated above, explicitly: minimal API form binding is not used here
    }

    /// <summary>The console's user: the claims the services read from the access token (sub, name, role, tenant,
    /// unit), and the session that holds the tokens.</summary>
    private static ClaimsPrincipal ConsolePrincipal(string accessToken, string sessionId)
    {
        var token = new JsonWebToken(accessToken); // just received from the token endpoint over the back channel
        var wanted = new HashSet<string> { PlatformClaims.Subject, PlatformClaims.Name, PlatformClaims.Role, PlatformClaims.Tenant, PlatformClaims.Unit };
        var claims = token.Claims.Where(claim => wanted.Contains(claim.Type)).Select(claim => new Claim(claim.Type, claim.Value)).ToList();
        claims.Add(new Claim(SessionClaim, sessionId));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "console", PlatformClaims.Name, PlatformClaims.Role));
    }

    private static string PublicIdentityAddress(HttpRequest request, string path) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/{IdentityPrefix}{path}";

    private static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
