using System.Collections.Concurrent;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.Identity.Data;
using ParPlatform.Identity.Management;
using ParPlatform.Identity.Tokens;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Identity.Apis;

/// <summary>
/// <c>POST /api/identity/accounts/import?dryRun=true|false</c>: a province's accounts from its sheet (CSV or XLSX,
/// see <see cref="AccountSheet"/>). A dry run (the default) reports every row: what it would create, what exists
/// already, and each row's errors. Applying creates the new accounts only if no row has an error, and is idempotent:
/// the key is the user name (the user_name column, else the e-mail in lower case), so the same sheet twice creates
/// nothing the second time. The answer lists each new account's one-time password, once; only hashes are stored.
/// </summary>
internal static class AccountImportApi
{
    public sealed record RowError(string Field, string Code, string Detail);
    public sealed record RowReport(int Row, string? UserName, string? DisplayName, string? Role, string? UnitCode, string? UnitId, string Status, IReadOnlyList<RowError> Errors);
    public sealed record CreatedCredential(string UserName, string DisplayName, string Role, string? UnitCode, string OneTimePassword);
    public sealed record ImportReport(
        bool DryRun, string Tenant, int Rows, int ToCreate, int Existing, int Invalid, IReadOnlyList<RowReport> Report,
        IReadOnlyList<CreatedCredential> Created);

    public const string Create = "create";
    public const string Exists = "exists";
    public const string Invalid = "error";

    public static RouteGroupBuilder MapAccountImportApi(this RouteGroupBuilder accounts)
    {
        accounts.MapPost("/import", ImportAsync).Accepts<Stream>("text/csv", AccountSheet.XlsxMediaType);
        return accounts;
    }

    private static async Task<Results<Ok<ImportReport>, BadRequestProblem, UnauthorizedProblem, ForbiddenProblem, UnsupportedMediaTypeProblem>> ImportAsync(
        HttpContext http, AccountRules rules, CriteriaUnits units, TenantDataSource dataSource, SecretHasher hasher,
        AccessAudit audit, TimeProvider clock, bool? dryRun, string? tenant)
    {
        var admin = await rules.AdminAsync(http);
        var tenantId = await rules.TenantForAsync(admin, tenant);

        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var xlsx = mediaType == AccountSheet.XlsxMediaType;
        if (!xlsx && mediaType is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return IdentityProblems.UnsupportedSheet.With($"Send the sheet as text/csv or {AccountSheet.XlsxMediaType}.");
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var (rows, sheetError) = AccountSheet.Read(buffer.ToArray(), xlsx);
        if (sheetError is not null)
        {
            return IdentityProblems.UnreadableSheet.WithField("file", sheetError);
        }

        var report = await CheckAsync(rows, admin, tenantId, http, rules, units, dataSource);
        var counts = (create: report.Count(r => r.Status == Create), exists: report.Count(r => r.Status == Exists), invalid: report.Count(r => r.Status == Invalid));
        var apply = dryRun == false;
        if (!apply || counts.invalid > 0)
        {
            var result = new ImportReport(true, tenantId, rows.Count, counts.create, counts.exists, counts.invalid, report, []);
            return apply
                ? IdentityProblems.ImportInvalid.With(
                    $"{counts.invalid} row(s) have errors; nothing was imported. Fix them (see report) and send the sheet again.",
                    new Dictionary<string, object?> { ["report"] = result })
                : TypedResults.Ok(result);
        }

        // Hash on every core at once: the one-time hash is cheap, but a thousand of them still take seconds.
        var toCreate = report.Where(row => row.Status == Create).ToList();
        var credentials = new ConcurrentDictionary<int, (string Password, string Hash)>();
        Parallel.ForEach(toCreate, row =>
        {
            var password = PasswordPolicy.OneTimePassword(row.UserName!);
            credentials[row.Row] = (password, hasher.HashOneTime(password));
        });
        var accounts = toCreate.Select(row => new NewAccount(Guid.CreateVersion7(), row.UserName!, row.DisplayName!,
            rows.First(r => r.Row == row.Row).Email, rows.First(r => r.Row == row.Row).Phone, row.Role!, tenantId!, row.UnitId,
            credentials[row.Row].Hash)).ToList();
        HashSet<string> inserted;
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            inserted = (await AccountData.InsertManyAsync(connection, accounts, clock.GetUtcNow(), transaction)).ToHashSet();
            await transaction.CommitAsync();
        }
        // Another import of the same sheet at the same moment may have created some first: only ours are listed.
        var created = toCreate.Where(row => inserted.Contains(row.UserName!))
            .Select(row => new CreatedCredential(row.UserName!, row.DisplayName!, row.Role!, row.UnitCode, credentials[row.Row].Password)).ToList();
        await audit.RecordManyAsync(created.Select(row => new AuditEntry(AuditEvents.AccountCreated, null, admin.UserName, tenantId, null)
            { Target = row.UserName, Details = $"import role={row.Role} unit={row.UnitCode}" }).ToList(), http);
        await audit.RecordAsync(new(AuditEvents.AccountsImported, null, admin.UserName, tenantId, null)
            { Details = $"rows={rows.Count} created={created.Count} existing={counts.exists + toCreate.Count - created.Count}" }, http);
        return TypedResults.Ok(new ImportReport(false, tenantId, rows.Count, created.Count, counts.exists + toCreate.Count - created.Count, 0,
            report.Select(row => row.Status == Create && !inserted.Contains(row.UserName!) ? row with { Status = Exists } : row).ToList(), created));
    }

    private static async Task<List<RowReport>> CheckAsync(
        IReadOnlyList<SheetRow> rows, Admin admin, string tenantId, HttpContext http, AccountRules rules, CriteriaUnits units, TenantDataSource dataSource)
    {
        var unitsByCode = (await units.ListAsync(tenantId, http))
            .GroupBy(unit => unit.Code.Trim().ToLowerInvariant()).ToDictionary(group => group.Key, group => group.First());
        var userNames = rows.Select(row => UserName(row)).Where(name => name is not null).Cast<string>().ToList();
        var taken = await AccountData.TakenUserNamesAsync(dataSource, userNames);
        Dictionary<string, AccountView> ours;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            ours = await AccountData.FindByUserNamesAsync(connection, userNames);
        }
        var firstRowOf = new Dictionary<string, int>();
        var report = new List<RowReport>();
        foreach (var row in rows)
        {
            var errors = new List<RowError>();
            void Add(FieldError? error) { if (error is not null) errors.Add(new(error.Field, error.Code, error.Detail)); }
            var userName = UserName(row);
            var role = AccountSheet.Role(row.Role);
            Add(AccountRules.CheckProfile(row.FullName, row.Email, row.Phone));
            if (row.Email is null)
            {
                Add(new FieldError(IdentityProblems.EmailRequired, "email", "The e-mail is required."));
            }
            Add(AccountRules.CheckUserName(userName));
            if (role is null)
            {
                Add(new FieldError(IdentityProblems.UnknownRole, "role", $"Unknown role '{row.Role}'; one of: {string.Join(", ", AccountRules.PersonRoles)}."));
            }
            else
            {
                Add(AccountRules.CheckRole(admin, tenantId, role));
            }
            CriteriaUnit? unit = null;
            if (row.UnitCode is { } code && !unitsByCode.TryGetValue(code.ToLowerInvariant(), out unit))
            {
                Add(new FieldError(IdentityProblems.UnknownUnit, "unitCode", $"No unit with code '{code}' in tenant {tenantId}."));
            }
            else if (role is not null && AccountRules.UnitRoles.Contains(role))
            {
                // A unit code on a role without a unit (an appraiser listed under its department) is read, not bound.
                Add(rules.CheckUnit(tenantId, role, unit?.Id.ToString(), unit) is { } unitError ? unitError with { Field = "unitCode" } : null);
            }
            var status = errors.Count > 0 ? Invalid : Create;
            if (userName is not null && errors.All(error => error.Field != "userName"))
            {
                if (firstRowOf.TryGetValue(userName, out var first))
                {
                    errors.Add(new("userName", "duplicate-user-name", $"The user name '{userName}' is also on row {first}."));
                    status = Invalid;
                }
                else
                {
                    firstRowOf[userName] = row.Row;
                    if (status == Create && taken.Contains(userName))
                    {
                        // Ours already (the sheet was imported before): nothing to do. Another tenant's: a clash.
                        if (ours.ContainsKey(userName)) status = Exists;
                        else
                        {
                            errors.Add(new("userName", "duplicate-user-name", $"The user name '{userName}' is taken by another account."));
                            status = Invalid;
                        }
                    }
                }
            }
            var boundUnit = role is not null && AccountRules.UnitRoles.Contains(role) ? unit : null;
            report.Add(new RowReport(row.Row, userName, row.FullName, role ?? row.Role, row.UnitCode, boundUnit?.Id.ToString(), status, errors));
        }
        return report;
    }

    /// <summary>The account's key: the user_name column, else the e-mail in lower case (deterministic, so imports are idempotent).</summary>
    private static string? UserName(SheetRow row) => (row.UserName ?? row.Email)?.Trim().ToLowerInvariant();
}
