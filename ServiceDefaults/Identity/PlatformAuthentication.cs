using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.ServiceDefaults.Identity;

/// <summary>
/// How services authenticate callers: the bearer token the gateway verified and forwarded, verified again here
/// (<see cref="PlatformJwt"/>). Service tests may also act as a caller through <c>X-Par-*</c> headers (or gRPC
/// metadata), but only where <c>Identity:TrustInterimHeaders</c> is true, which only the test host sets: the AppHost
/// and deployments never do, and the gateway strips those headers from every request anyway.
/// Endpoints code against <see cref="Caller"/> and ASP.NET authorization only, whichever scheme authenticated.
/// </summary>
public static class PlatformAuthentication
{
    public const string Scheme = "Platform";
    public const string HeaderScheme = "PlatformHeaders";
    public const string UserHeader = "X-Par-User";
    public const string RoleHeader = "X-Par-Role";
    public const string TenantHeader = "X-Par-Tenant";
    public const string UnitHeader = "X-Par-Unit";
    public const string NameHeader = "X-Par-Name";
    public const string TrustHeadersKey = "Identity:TrustInterimHeaders";

    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var trustHeaders = configuration.GetValue<bool>(TrustHeadersKey);
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token (or test headers where trusted)", options =>
                options.ForwardDefaultSelector = context =>
                    trustHeaders && context.Request.Headers.ContainsKey(UserHeader) ? HeaderScheme : PlatformJwt.Scheme)
            .AddPlatformJwtBearer(configuration);
        if (trustHeaders)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, HeaderHandler>(HeaderScheme, null);
        }
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ParPlatform.ServiceDefaults.Problems.GrpcAwareAuthorizationResultHandler>();
        return services;
    }

    /// <summary>
    /// The caller's credentials to pass on when a service calls another on the caller's behalf: the bearer token,
    /// or the test headers where those are trusted.
    /// </summary>
    public static global::Grpc.Core.Metadata ForwardedCredentials(HttpContext context)
    {
        var metadata = new global::Grpc.Core.Metadata();
        if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            metadata.Add("authorization", authorization);
        }
        foreach (var header in new[] { UserHeader, RoleHeader, TenantHeader, UnitHeader, NameHeader })
        {
            if (context.Request.Headers[header].ToString() is { Length: > 0 } value)
            {
                metadata.Add(header, value);
            }
        }
        return metadata;
    }

    private sealed class HeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers[UserHeader].ToString();
            var role = Request.Headers[RoleHeader].ToString();
            var tenant = Request.Headers[TenantHeader].ToString();
            if (user.Length == 0 || role.Length == 0 || tenant.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            List<Claim> claims =
            [
                new(PlatformClaims.Subject, user),
                new(PlatformClaims.Role, role),
                new(PlatformClaims.Tenant, tenant),
            ];
            if (Request.Headers[UnitHeader].ToString() is { Length: > 0 } unit)
            {
                claims.Add(new Claim(PlatformClaims.Unit, unit));
            }
            if (Request.Headers[NameHeader].ToString() is { Length: > 0 } name)
            {
                claims.Add(new Claim(PlatformClaims.Name, Uri.UnescapeDataString(name)));
            }
            var identity = new ClaimsIdentity(claims, HeaderScheme, PlatformClaims.Subject, PlatformClaims.Role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), HeaderScheme)));
        }
    }
}
