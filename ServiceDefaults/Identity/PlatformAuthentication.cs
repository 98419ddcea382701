using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// INTERIM identity for services until the identity issue lands: the caller's identity arrives as
/// <c>X-Par-User</c>, <c>X-Par-Role</c>, <c>X-Par-Tenant</c>, <c>X-Par-Unit</c> headers (REST headers or gRPC metadata).
/// Services code against <see cref="Caller"/> and ASP.NET authorization only, so replacing this scheme by verified JWTs
/// (forwarded by the gateway) changes no endpoint. Until then it must not face the internet: it trusts its caller.
/// </summary>
public static class PlatformAuthentication
{
    public const string Scheme = "PlatformHeaders";
    public const string UserHeader = "X-Par-User";
    public const string RoleHeader = "X-Par-Role";
    public const string TenantHeader = "X-Par-Tenant";
    public const string UnitHeader = "X-Par-Unit";

    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, HeaderHandler>(Scheme, null);
        services.AddAuthorization();
        return services;
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
            var identity = new ClaimsIdentity(claims, PlatformAuthentication.Scheme, PlatformClaims.Subject, PlatformClaims.Role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), PlatformAuthentication.Scheme)));
        }
    }
}
