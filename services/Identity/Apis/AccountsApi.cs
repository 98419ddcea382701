using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.Identity.Data;
using ParPlatform.Identity.Management;
using ParPlatform.Identity.Tokens;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Identity.Apis;

/// <summary>
/// Accounts of people, managed by administrators: a provincial admin its own tenant's (row-level security hides the
/// others: another tenant's account answers 404), the national admin every tenant's. Every change is audited.
/// The admin guard and the field checks throw their refusals (<see cref="ProblemException"/>); each handler's
/// <c>Results&lt;&gt;</c> lists them, so the OpenAPI document does.
/// </summary>
internal static class AccountsApi
{
    public sealed record CreateAccountRequest(string UserName, string DisplayName, string? Email, string? Phone, string Role, string? UnitId, string? Tenant);
    public sealed record UpdateAccountRequest(string DisplayName, string? Email, string? Phone, string Role, string? UnitId);
    public sealed record AccountWithPassword(AccountView Account, string OneTimePassword);
    public sealed record OneTimePasswordReply(Guid AccountId, string UserName, string OneTimePassword);

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts").RequireAuthorization();
        accounts.MapGet("/", List);
        accounts.MapPost("/", Create);
        accounts.MapGet("/{id:guid}", Get);
        accounts.MapPut("/{id:guid}", Update);
        accounts.MapPost("/{id:guid}/disable", (Guid id, HttpContext http, AccountRules rules, TenantDataSource db, AccessAudit audit, TimeProvider clock) =>
            SetDisabled(id, true, http, rules, db, audit, clock));
        accounts.MapPost("/{id:guid}/enable", (Guid id, HttpContext http, AccountRules rules, TenantDataSource db, AccessAudit audit, TimeProvider clock) =>
            SetDisabled(id, false, http, rules, db, audit, clock));
        accounts.MapPost("/{id:guid}/reset-password", ResetPassword);
        accounts.MapAccountImportApi();
        return api;
    }

    private static async Task<Results<Ok<Paged<AccountView>>, BadRequestProblem, UnauthorizedProblem, ForbiddenProblem>> List(
        HttpContext http, AccountRules rules, TenantDataSource dataSource,
        string? tenant, string? search, string? role, string? unitId, bool? disabled, int? page, int? pageSize)
    {
        var admin = await rules.AdminAsync(http);
        if (Paging(page, pageSize) is { Error: { } error }) throw error.ToException();
        // A provincial admin sees its own tenant only (also enforced by row-level security); the Ministry may filter.
        var scope = admin.IsNational ? tenant : admin.TenantId;
        await using var connection = await dataSource.OpenConnectionAsync();
        return TypedResults.Ok(await AccountData.ListAsync(connection, scope, search, role, unitId, disabled, page ?? 1, pageSize ?? 50));
    }

    private static async Task<Results<Ok<AccountView>, UnauthorizedProblem, ForbiddenProblem, NotFoundProblem>> Get(
        Guid id, HttpContext http, AccountRules rules, TenantDataSource dataSource)
    {
        await rules.AdminAsync(http);
        await using var connection = await dataSource.OpenConnectionAsync();
        return await AccountData.FindAsync(connection, id) is { } account ? TypedResults.Ok(account) : AccountNotFound(id);
    }

    private static async Task<Results<Created<AccountWithPassword>, BadRequestProblem, UnauthorizedProblem, ForbiddenProblem, ConflictProblem>> Create(
        CreateAccountRequest body, HttpContext http, AccountRules rules, CriteriaUnits units, TenantDataSource dataSource,
        SecretHasher hasher, AccessAudit audit, TimeProvider clock)
    {
        var admin = await rules.AdminAsync(http);
        var tenant = await rules.TenantForAsync(admin, body.Tenant);
        var userName = body.UserName?.Trim().ToLowerInvariant();
        var error = AccountRules.CheckUserName(userName)
            ?? AccountRules.CheckProfile(body.DisplayName, body.Email, body.Phone)
            ?? AccountRules.CheckRole(admin, tenant, body.Role)
            ?? rules.CheckUnit(tenant, body.Role, body.UnitId, await UnitAsync(body.Role, body.UnitId, units, http));
        if (error is not null) throw error.ToException();
        if ((await AccountData.TakenUserNamesAsync(dataSource, [userName!])).Count > 0) return DuplicateUserName(userName!);

        var oneTimePassword = PasswordPolicy.OneTimePassword(userName!);
        var account = new NewAccount(Guid.CreateVersion7(), userName!, body.DisplayName.Trim(), Blank(body.Email), Blank(body.Phone),
            body.Role, tenant, Blank(body.UnitId), hasher.HashOneTime(oneTimePassword));
        await using var connection = await dataSource.OpenConnectionAsync();
        try
        {
            await AccountData.InsertAsync(connection, account, clock.GetUtcNow());
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return DuplicateUserName(userName!);
        }
        await audit.RecordAsync(new(AuditEvents.AccountCreated, null, admin.UserName, tenant, null)
            { Target = userName, Details = $"role={account.Role} unit={account.UnitId}" }, http);
        return TypedResults.Created($"/api/identity/accounts/{account.Id}",
            new AccountWithPassword((await AccountData.FindAsync(connection, account.Id))!, oneTimePassword));
    }

    private static async Task<Results<Ok<AccountView>, BadRequestProblem, UnauthorizedProblem, ForbiddenProblem, NotFoundProblem>> Update(
        Guid id, UpdateAccountRequest body, HttpContext http, AccountRules rules, CriteriaUnits units, TenantDataSource dataSource,
        AccessAudit audit, TimeProvider clock)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var (admin, current) = await ManageableAsync(id, http, rules, connection);
        var error = AccountRules.CheckProfile(body.DisplayName, body.Email, body.Phone)
            ?? AccountRules.CheckRole(admin, current.Tenant, body.Role)
            ?? rules.CheckUnit(current.Tenant, body.Role, body.UnitId, await UnitAsync(body.Role, body.UnitId, units, http));
        if (error is not null) throw error.ToException();
        await AccountData.UpdateAsync(connection, id, body.DisplayName.Trim(), Blank(body.Email), Blank(body.Phone), body.Role, Blank(body.UnitId), clock.GetUtcNow());
        await audit.RecordAsync(new(AuditEvents.AccountUpdated, null, admin.UserName, current.Tenant, null)
            { Target = current.UserName, Details = $"role={current.Role}->{body.Role} unit={current.UnitId}->{Blank(body.UnitId)}" }, http);
        return TypedResults.Ok((await AccountData.FindAsync(connection, id))!);
    }

    private static async Task<Results<Ok<AccountView>, UnauthorizedProblem, ForbiddenProblem, NotFoundProblem, ConflictProblem>> SetDisabled(
        Guid id, bool disabled, HttpContext http, AccountRules rules, TenantDataSource dataSource, AccessAudit audit, TimeProvider clock)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var (admin, current) = await ManageableAsync(id, http, rules, connection);
        if (disabled && current.Id == admin.Id)
        {
            return IdentityProblems.CannotDisableSelf.With("An administrator cannot disable its own account.");
        }
        await AccountData.SetDisabledAsync(connection, id, disabled, clock.GetUtcNow());
        await audit.RecordAsync(new(disabled ? AuditEvents.AccountDisabled : AuditEvents.AccountEnabled, null, admin.UserName, current.Tenant, null)
            { Target = current.UserName }, http);
        return TypedResults.Ok((await AccountData.FindAsync(connection, id))!);
    }

    private static async Task<Results<Ok<OneTimePasswordReply>, UnauthorizedProblem, ForbiddenProblem, NotFoundProblem>> ResetPassword(
        Guid id, HttpContext http, AccountRules rules, TenantDataSource dataSource, SecretHasher hasher, AccessAudit audit, TimeProvider clock)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var (admin, current) = await ManageableAsync(id, http, rules, connection);
        var oneTimePassword = PasswordPolicy.OneTimePassword(current.UserName);
        await AccountData.SetPasswordAsync(connection, id, hasher.HashOneTime(oneTimePassword), mustChange: true, clock.GetUtcNow());
        await audit.RecordAsync(new(AuditEvents.PasswordReset, null, admin.UserName, current.Tenant, null) { Target = current.UserName }, http);
        return TypedResults.Ok(new OneTimePasswordReply(id, current.UserName, oneTimePassword));
    }

    /// <summary>
    /// The administrator and the account it wants to change: 404 for an account it cannot see (another tenant's),
    /// 403 for a national administrator unless the caller is the Ministry (thrown, as the admin guard's refusals).
    /// </summary>
    private static async Task<(Admin Admin, AccountView Account)> ManageableAsync(
        Guid id, HttpContext http, AccountRules rules, NpgsqlConnection connection)
    {
        var admin = await rules.AdminAsync(http);
        var current = await AccountData.FindAsync(connection, id) ?? throw AccountNotFound(id).ToException();
        if (!admin.IsNational && current.Role == PlatformRoles.NationalAdmin)
        {
            throw IdentityProblems.Forbidden.With("Only the Ministry manages national administrators.").ToException();
        }
        return (admin, current);
    }

    private static NotFoundProblem AccountNotFound(Guid id) => IdentityProblems.NotFound.With($"The account {id} was not found.");

    /// <summary>The unit from the criteria service, only when the role is bound to one and a unit is named.</summary>
    private static async Task<CriteriaUnit?> UnitAsync(string? role, string? unitId, CriteriaUnits units, HttpContext http) =>
        role is not null && AccountRules.UnitRoles.Contains(role) && !string.IsNullOrWhiteSpace(unitId)
            ? await units.FindAsync(unitId.Trim(), http)
            : null;

    public static (int Page, int PageSize, FieldError? Error) Paging(int? page, int? pageSize) =>
        page is < 1 ? (0, 0, new FieldError(IdentityProblems.InvalidPage, "page", "The page starts at 1."))
        : pageSize is < 1 or > 200 ? (0, 0, new FieldError(IdentityProblems.InvalidPageSize, "pageSize", "The page size is between 1 and 200."))
        : (page ?? 1, pageSize ?? 50, null);

    public static ConflictProblem DuplicateUserName(string userName, string field = "userName") =>
        IdentityProblems.DuplicateUserName.WithField(field, $"The user name '{userName}' is taken.");

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
