using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Identity;

/// <summary>Role names carried in the <c>role</c> claim.</summary>
public static class PlatformRoles
{
    public const string NationalAdmin = "national-admin";       // Ministry of Home Affairs
    public const string ProvincialAdmin = "provincial-admin";   // Department of Home Affairs (Sở Nội vụ)
    public const string Appraiser = "appraiser";                // thẩm định, within the round's tenant
    public const string UnitOfficer = "unit-officer";
    public const string UnitLeader = "unit-leader";             // approves the unit's self-assessment
    public const string SurveyOperator = "survey-operator";
    public const string SurveyPartner = "survey-partner";       // machine client: submits responses only
    public const string MinistryClient = "ministry-client";     // machine client: reads published results
    public const string Viewer = "viewer";
}

public static class PlatformClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Tenant = "par:tenant";
    public const string Unit = "par:unit";
    /// <summary>The account's name as the identity service signs it (the username; an external issuer's name claim).</summary>
    public const string Name = "name";

    /// <summary>The tenant of the Ministry, which issues national sets and ranks ministries and provinces.</summary>
    public const string NationalTenant = "national";
}

/// <summary>Who is calling, as the services see it after authentication: user, role, tenant and (for unit roles) unit.</summary>
public sealed record Caller(string UserId, string Role, string TenantId, string? UnitId)
{
    public bool IsNational => TenantId == PlatformClaims.NationalTenant;

    /// <summary>The token's name claim, when it carries one.</summary>
    public string? Name { get; init; }

    /// <summary>Who, as a person reads it in an audit trail: the name, else the user id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? UserId : Name;

    public bool HasRole(params string[] roles) => roles.Contains(Role);

    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var user = principal.FindFirstValue(PlatformClaims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = principal.FindFirstValue(PlatformClaims.Role) ?? principal.FindFirstValue(ClaimTypes.Role);
        var tenant = principal.FindFirstValue(PlatformClaims.Tenant);
        return user is null || role is null || tenant is null
            ? null
            : new Caller(user, role, tenant, principal.FindFirstValue(PlatformClaims.Unit)) { Name = principal.FindFirstValue(PlatformClaims.Name) };
    }

    /// <summary>The caller of the current request; endpoints behind <c>RequireAuthorization</c> always have one.</summary>
    public static Caller Of(HttpContext context) =>
        From(context.User) ?? throw new UnauthorizedAccessException("The request carries no platform identity.");
}
