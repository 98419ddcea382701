using System.Text.RegularExpressions;
using Dapper;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Identity.Management;

/// <summary>
/// A field that is wrong, as the APIs answer it (ProblemDetails naming the field) and the import reports it (one
/// row's error). The checks that make one can refuse with 400, 403 or 409, so a handler throws it
/// (<see cref="ToException"/>) and lists those statuses in its <c>Results&lt;&gt;</c>.
/// </summary>
public sealed record FieldError(ProblemKind Kind, string Field, string Detail)
{
    public string Code => Kind.Code;

    public Problem ToProblem() => Kind switch
    {
        ProblemKind<BadRequestProblem> invalid => invalid.WithField(Field, Detail),
        ProblemKind<ForbiddenProblem> forbidden => forbidden.WithField(Field, Detail),
        ProblemKind<ConflictProblem> conflict => conflict.WithField(Field, Detail),
        _ => throw new InvalidOperationException($"{Kind.Type} is not a field error."),
    };

    public ProblemException ToException() => ToProblem().ToException();
}

/// <summary>The administrator making the request, as the identity database knows it now (not as the token said).</summary>
public sealed record Admin(Guid Id, string UserName, string Role, string TenantId)
{
    public bool IsNational => Role == PlatformRoles.NationalAdmin && TenantId == PlatformClaims.NationalTenant;
}

/// <summary>
/// Who may manage which accounts, and what an account must be: roles and unit bindings as in the README's table,
/// a unit role bound to a unit of the account's tenant valid this year (checked in the criteria service).
/// </summary>
public sealed partial class AccountRules(TenantDataSource dataSource, TimeProvider clock)
{
    public static readonly string[] AdminRoles = [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin];
    public static readonly string[] PersonRoles =
    [
        PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.Appraiser, PlatformRoles.UnitOfficer,
        PlatformRoles.UnitLeader, PlatformRoles.SurveyOperator, PlatformRoles.Viewer,
    ];
    public static readonly string[] UnitRoles = [PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader];
    private static readonly string[] NationalTenantRoles = [PlatformRoles.NationalAdmin, PlatformRoles.Viewer];

    /// <summary>
    /// The caller as an administrator: 403 for any other role, 401 when the caller's account is disabled or gone
    /// (its token may still be unexpired: the database, not the token, decides). Both refusals are thrown
    /// (<see cref="ProblemException"/>): every admin endpoint lists 401 and 403.
    /// </summary>
    public async Task<Admin> AdminAsync(HttpContext http)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(AdminRoles))
        {
            throw IdentityProblems.Forbidden.With("Only national and provincial administrators manage accounts.").ToException();
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        var account = Guid.TryParse(caller.UserId, out var id)
            ? await connection.QuerySingleOrDefaultAsync<(Guid Id, string UserName, string Role, string TenantId, bool IsActive)?>(
                "SELECT id, username, role, tenant_id, is_active FROM users WHERE id = @id", new { id })
            : null;
        if (account is not { IsActive: true } active)
        {
            throw IdentityProblems.Unauthorized.With("The caller's account is disabled or no longer exists.").ToException();
        }
        if (!AdminRoles.Contains(active.Role))
        {
            throw IdentityProblems.Forbidden.With("The caller's account is no longer an administrator.").ToException();
        }
        return new Admin(active.Id, active.UserName, active.Role, active.TenantId);
    }

    /// <summary>The tenant an administrator acts in: a provincial admin only its own (else 403), the national admin any existing one (else 400).</summary>
    public async Task<string> TenantForAsync(Admin admin, string? requested)
    {
        var tenant = string.IsNullOrWhiteSpace(requested) ? admin.TenantId : requested.Trim();
        if (!admin.IsNational && tenant != admin.TenantId)
        {
            throw IdentityProblems.Forbidden.With("A provincial administrator manages the accounts of its own province only.").ToException();
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        var exists = await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = @tenant)", new { tenant });
        return exists ? tenant : throw new FieldError(IdentityProblems.UnknownTenant, "tenant", $"Tenant '{tenant}' does not exist.").ToException();
    }

    public static FieldError? CheckProfile(string? displayName, string? email, string? phone)
    {
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > 200)
        {
            return new(IdentityProblems.InvalidDisplayName, "displayName", "The display name is required (at most 200 characters).");
        }
        if (!string.IsNullOrWhiteSpace(email) && (email.Length > 254 || !EmailPattern().IsMatch(email.Trim())))
        {
            return new(IdentityProblems.InvalidEmail, "email", $"'{email}' is not a valid e-mail address.");
        }
        if (!string.IsNullOrWhiteSpace(phone) && !PhonePattern().IsMatch(phone.Trim()))
        {
            return new(IdentityProblems.InvalidPhone, "phone", $"'{phone}' is not a valid phone number.");
        }
        return null;
    }

    public static FieldError? CheckUserName(string? userName) =>
        userName is not null && UserNamePattern().IsMatch(userName)
            ? null
            : new(IdentityProblems.InvalidUserName, "userName",
                "The user name must be 3-64 characters: lower-case letters, digits, '.', '_', '-' or '@', starting with a letter or digit.");

    public static FieldError? CheckRole(Admin admin, string tenant, string? role)
    {
        if (role is null || !PersonRoles.Contains(role))
        {
            return new(IdentityProblems.UnknownRole, "role", $"Unknown role '{role}'; one of: {string.Join(", ", PersonRoles)}.");
        }
        if (role == PlatformRoles.NationalAdmin && !admin.IsNational)
        {
            return new(IdentityProblems.ForbiddenRole, "role", "A provincial administrator cannot grant the national-admin role.");
        }
        var national = tenant == PlatformClaims.NationalTenant;
        if (national && !NationalTenantRoles.Contains(role))
        {
            return new(IdentityProblems.RoleTenant, "role", $"The role {role} belongs to a province tenant, not the national one.");
        }
        if (!national && role == PlatformRoles.NationalAdmin)
        {
            return new(IdentityProblems.RoleTenant, "role", "The national-admin role belongs to the national tenant only.");
        }
        return null;
    }

    /// <param name="unit">The unit as the criteria service knows it (null: unknown, or not visible to the caller).</param>
    public FieldError? CheckUnit(string tenant, string role, string? unitId, CriteriaUnit? unit)
    {
        var needsUnit = UnitRoles.Contains(role);
        if (needsUnit && string.IsNullOrWhiteSpace(unitId))
        {
            return new(IdentityProblems.UnitRequired, "unitId", $"The role {role} needs the unit the account belongs to.");
        }
        if (!needsUnit)
        {
            return string.IsNullOrWhiteSpace(unitId) ? null
                : new(IdentityProblems.UnitNotAllowed, "unitId", $"The role {role} is not bound to a unit; leave the unit empty.");
        }
        if (unit is null)
        {
            return new(IdentityProblems.UnknownUnit, "unitId", $"Unit '{unitId}' is not in the criteria service's registry of this tenant.");
        }
        if (unit.TenantId != tenant)
        {
            return new(IdentityProblems.UnitOfAnotherTenant, "unitId", $"Unit '{unit.Code}' belongs to tenant {unit.TenantId}, not {tenant}.");
        }
        var year = clock.GetUtcNow().Year;
        return unit.IsValidIn(year) ? null
            : new(IdentityProblems.UnitNotValid, "unitId", $"Unit '{unit.Code}' is not valid in {year} (valid {unit.ValidFrom:yyyy-MM-dd} to {unit.ValidTo?.ToString("yyyy-MM-dd") ?? "today"}).");
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._@-]{2,63}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ().-]{6,20}$")]
    private static partial Regex PhonePattern();
}
