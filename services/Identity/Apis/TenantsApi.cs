using System.Text.RegularExpressions;
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
/// Provinces (tenants): the Ministry creates one with its province unit (registered in the criteria service's
/// national register) and its first provincial administrator, who then onboards the province's units and accounts.
/// </summary>
internal static partial class TenantsApi
{
    public sealed record NewAdministrator(string UserName, string DisplayName, string? Email, string? Phone);
    public sealed record CreateTenantRequest(string Code, string Name, string? ProvinceUnitId, NewAdministrator Admin);
    public sealed record TenantView(string Code, string Name, string? ProvinceUnitId, DateTime? CreatedAt);
    public sealed record CreatedTenant(TenantView Tenant, AccountsApi.AccountWithPassword Admin);
    public sealed record AuditRow(
        long Id, DateTime OccurredAt, string Event, string? GrantType, string? Subject, string? Target, string? Tenant,
        string? Reason, string? Details, string? RemoteAddress, string? CorrelationId);

    /// <summary>A tenant as <see cref="TenantView"/> reads it, for every query of this API.</summary>
    private const string TenantColumns = "id AS Code, name, province_unit_id AS ProvinceUnitId, created_at AS CreatedAt";

    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants").WithTags("Tenants").RequireAuthorization();
        tenants.MapGet("/", List);
        tenants.MapGet("/{tenant}", Find);
        tenants.MapPost("/", Create);
        api.MapGet("/audit", Audit).WithTags("Audit").RequireAuthorization();
        return api;
    }

    private static async Task<Results<Ok<List<TenantView>>, UnauthorizedProblem, ForbiddenProblem>> List(HttpContext http, AccountRules rules, TenantDataSource dataSource)
    {
        var admin = await rules.AdminAsync(http);
        await using var connection = await dataSource.OpenConnectionAsync();
        // The tenants table is the platform's list of provinces (no row-level security): filtered here.
        return TypedResults.Ok((await connection.QueryAsync<TenantView>(
            $"""
            SELECT {TenantColumns} FROM tenants
            WHERE @all OR id = @tenant ORDER BY id
            """, new { all = admin.IsNational, tenant = admin.TenantId })).ToList());
    }

    /// <summary>
    /// A province's registered name, for any signed-in role of that province and for the Ministry's callers: the
    /// console heads the documents units and ministry readers download with it ("UBND TỈNH ..."). Another province's
    /// code answers 404, as an unregistered one does (a tenant learns nothing of the others).
    /// </summary>
    private static async Task<Results<Ok<TenantView>, NotFoundProblem>> Find(string tenant, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        var found = caller.IsNational || caller.TenantId == tenant ? await FindAsync(dataSource, tenant) : null;
        return found is null ? IdentityProblems.NotFound.With($"No province '{tenant}' is known to the caller.") : TypedResults.Ok(found);
    }

    private static async Task<TenantView?> FindAsync(TenantDataSource dataSource, string tenant)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<TenantView>(
            $"SELECT {TenantColumns} FROM tenants WHERE id = @tenant",
            new { tenant });
    }

    private static async Task<Results<Created<CreatedTenant>, BadRequestProblem, UnauthorizedProblem, ForbiddenProblem, ConflictProblem>> Create(
        CreateTenantRequest body, HttpContext http, AccountRules rules, CriteriaUnits units, TenantDataSource dataSource,
        SecretHasher hasher, AccessAudit audit, TimeProvider clock)
    {
        var admin = await rules.AdminAsync(http);
        if (!admin.IsNational) return IdentityProblems.Forbidden.With("Only the Ministry (national-admin) creates provinces.");
        var code = body.Code?.Trim().ToLowerInvariant();
        if (code is null || code == PlatformClaims.NationalTenant || !CodePattern().IsMatch(code))
        {
            return IdentityProblems.InvalidTenantCode.WithField("code",
                "The code is 2-40 lower-case letters, digits or '-', starting with a letter, e.g. dien-bien.");
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
        {
            return IdentityProblems.InvalidTenantName.WithField("name", "The name is required (at most 200 characters).");
        }
        if (body.ProvinceUnitId is { Length: > 0 } provinceUnitId)
        {
            var unit = await units.FindAsync(provinceUnitId, http);
            if (unit is null || unit.TenantId != PlatformClaims.NationalTenant || (unit.ProvinceTenantId is { } named && named != code))
            {
                return IdentityProblems.UnknownProvinceUnit.WithField("provinceUnitId",
                    $"Unit '{provinceUnitId}' is not a province unit of the national register for tenant {code}.");
            }
        }
        if (body.Admin is null)
        {
            return IdentityProblems.AdminRequired.WithField("admin", "The province's first administrator is required.");
        }
        var userName = body.Admin.UserName?.Trim().ToLowerInvariant();
        if ((AccountRules.CheckUserName(userName) ?? AccountRules.CheckProfile(body.Admin.DisplayName, body.Admin.Email, body.Admin.Phone)) is { } error)
        {
            throw (error with { Field = "admin." + error.Field }).ToException();
        }
        if ((await AccountData.TakenUserNamesAsync(dataSource, [userName!])).Count > 0)
        {
            return AccountsApi.DuplicateUserName(userName!, "admin.userName");
        }

        var now = clock.GetUtcNow();
        var oneTimePassword = PasswordPolicy.OneTimePassword(userName!);
        var account = new NewAccount(Guid.CreateVersion7(), userName!, body.Admin.DisplayName.Trim(), AccountsApi.Blank(body.Admin.Email),
            AccountsApi.Blank(body.Admin.Phone), PlatformRoles.ProvincialAdmin, code, null, hasher.HashOneTime(oneTimePassword));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var inserted = await connection.ExecuteAsync(
                """
                INSERT INTO tenants (id, name, province_unit_id, created_at) VALUES (@code, @name, @provinceUnitId, @now)
                ON CONFLICT (id) DO NOTHING
                """, new { code, name = body.Name.Trim(), provinceUnitId = AccountsApi.Blank(body.ProvinceUnitId), now }, transaction);
            if (inserted == 0)
            {
                return IdentityProblems.DuplicateTenant.WithField("code", $"Tenant '{code}' already exists.");
            }
            try
            {
                await AccountData.InsertAsync(connection, account, now, transaction);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return AccountsApi.DuplicateUserName(userName!);
            }
            await transaction.CommitAsync();
        }
        await audit.RecordAsync(new(AuditEvents.TenantCreated, null, admin.UserName, code, null) { Target = code, Details = body.Name.Trim() }, http);
        await audit.RecordAsync(new(AuditEvents.AccountCreated, null, admin.UserName, code, null)
            { Target = userName, Details = $"role={PlatformRoles.ProvincialAdmin}" }, http);
        var tenant = new TenantView(code, body.Name.Trim(), AccountsApi.Blank(body.ProvinceUnitId), now.UtcDateTime);
        return TypedResults.Created($"/api/identity/tenants/{code}",
            new CreatedTenant(tenant, new((await AccountData.FindAsync(connection, account.Id))!, oneTimePassword)));
    }

    /// <summary>The access audit, newest first: sign-ins, failures, lockouts and administrators' actions of the caller's scope.</summary>
    private static async Task<Results<Ok<Paged<AuditRow>>, BadRequestProblem, UnauthorizedProblem, ForbiddenProblem>> Audit(
        HttpContext http, AccountRules rules, TenantDataSource dataSource, string? account, string? @event, string? tenant, int? page, int? pageSize)
    {
        var admin = await rules.AdminAsync(http);
        if (AccountsApi.Paging(page, pageSize) is { Error: { } error }) throw error.ToException();
        var scope = admin.IsNational ? tenant : admin.TenantId;
        var parameters = new
        {
            tenant = scope, account = account?.Trim().ToLowerInvariant(), @event,
            limit = pageSize ?? 50, offset = ((page ?? 1) - 1) * (pageSize ?? 50),
        };
        const string where =
            """
            WHERE (@tenant::text IS NULL OR tenant_id = @tenant) AND (@event::text IS NULL OR event = @event)
              AND (@account::text IS NULL OR lower(subject) = @account OR lower(target) = @account)
            """;
        await using var connection = await dataSource.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM access_audit {where}", parameters);
        var rows = (await connection.QueryAsync<AuditRow>(
            $"""
            SELECT id, occurred_at AS OccurredAt, event, grant_type AS GrantType, subject, target, tenant_id AS Tenant, reason, details,
                   remote_address AS RemoteAddress, correlation_id AS CorrelationId
            FROM access_audit {where} ORDER BY id DESC LIMIT @limit OFFSET @offset
            """, parameters)).ToList();
        return TypedResults.Ok(new Paged<AuditRow>(rows, total, page ?? 1, pageSize ?? 50));
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex CodePattern();
}
