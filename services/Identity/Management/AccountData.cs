using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Identity.Management;

/// <summary>An account as administrators see it (never its password hash).</summary>
public sealed record AccountView(
    Guid Id, string UserName, string DisplayName, string? Email, string? Phone, string Role, string Tenant, string? UnitId,
    bool Disabled, bool MustChangePassword, bool LockedOut, DateTime CreatedAt, DateTime? UpdatedAt, DateTime? LastSignInAt);

public sealed record NewAccount(
    Guid Id, string UserName, string DisplayName, string? Email, string? Phone, string Role, string Tenant, string? UnitId, string PasswordHash);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>SQL on the users table for the account APIs; row-level security scopes it to the caller's tenant.</summary>
public static class AccountData
{
    private const string Columns =
        """
        id, username AS UserName, display_name AS DisplayName, email, phone, role, tenant_id AS Tenant, unit_id AS UnitId,
        NOT is_active AS Disabled, must_change_password AS MustChangePassword, coalesce(locked_until > now(), false) AS LockedOut,
        created_at AS CreatedAt, updated_at AS UpdatedAt, last_sign_in_at AS LastSignInAt
        """;

    public static Task<AccountView?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<AccountView>($"SELECT {Columns} FROM users WHERE id = @id", new { id }, transaction);

    public static async Task<Dictionary<string, AccountView>> FindByUserNamesAsync(NpgsqlConnection connection, IEnumerable<string> userNames) =>
        (await connection.QueryAsync<AccountView>(
            $"SELECT {Columns} FROM users WHERE lower(username) = ANY(@names)", new { names = userNames.Select(n => n.ToLowerInvariant()).ToArray() }))
        .ToDictionary(account => account.UserName.ToLowerInvariant());

    /// <summary>
    /// Which of the user names are taken in any tenant. User names are unique across tenants (they sign in without
    /// naming one), so this looks in the all-tenants scope; it answers only "taken", nothing of the other account.
    /// </summary>
    public static async Task<HashSet<string>> TakenUserNamesAsync(TenantDataSource dataSource, IEnumerable<string> userNames)
    {
        using var scope = TenantScope.Enter(TenantScope.AllTenants);
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>(
            "SELECT lower(username) FROM users WHERE lower(username) = ANY(@names)",
            new { names = userNames.Select(n => n.ToLowerInvariant()).Distinct().ToArray() })).ToHashSet();
    }

    public static async Task<Paged<AccountView>> ListAsync(
        NpgsqlConnection connection, string? tenant, string? search, string? role, string? unitId, bool? disabled, int page, int pageSize)
    {
        const string where =
            """
            WHERE (@tenant::text IS NULL OR tenant_id = @tenant) AND (@role::text IS NULL OR role = @role)
              AND (@unitId::text IS NULL OR unit_id = @unitId) AND (@disabled::boolean IS NULL OR is_active = NOT @disabled)
              AND (@pattern::text IS NULL OR lower(username) LIKE @pattern OR lower(email) LIKE @pattern
                   OR translate(lower(display_name), @accented, @plain) LIKE @pattern)
            """;
        // Accent-insensitive: "nguyen van tam" finds "Nguyễn Văn Tâm" (both sides folded the same way).
        var pattern = string.IsNullOrWhiteSpace(search) ? null
            : "%" + Fold(search.Trim().Normalize().ToLowerInvariant()).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var parameters = new { tenant, role, unitId, disabled, pattern, accented = Accented, plain = Plain, limit = pageSize, offset = (page - 1) * pageSize };
        var total = await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM users {where}", parameters);
        var items = (await connection.QueryAsync<AccountView>(
            $"SELECT {Columns} FROM users {where} ORDER BY tenant_id, lower(display_name), lower(username) LIMIT @limit OFFSET @offset", parameters)).ToList();
        return new Paged<AccountView>(items, total, page, pageSize);
    }

    // Vietnamese lower-case letters with diacritics and their plain letters, for accent-insensitive search.
    private const string Accented = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
    private const string Plain = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";

    private static string Fold(string text) =>
        string.Concat(text.Select(character => Accented.IndexOf(character) is var index and >= 0 ? Plain[index] : character));

    public static Task InsertAsync(NpgsqlConnection connection, NewAccount account, DateTimeOffset now, NpgsqlTransaction? transaction = null) =>
        connection.ExecuteAsync(
            """
            INSERT INTO users (id, username, display_name, email, phone, password_hash, role, tenant_id, unit_id, created_at, must_change_password)
            VALUES (@Id, @UserName, @DisplayName, @Email, @Phone, @PasswordHash, @Role, @Tenant, @UnitId, @now, true)
            """, new { account.Id, account.UserName, account.DisplayName, account.Email, account.Phone, account.PasswordHash, account.Role, account.Tenant, account.UnitId, now }, transaction);

    /// <summary>Many accounts in one statement (unnest), for the bulk import; returns the user names inserted (not taken meanwhile).</summary>
    public static Task<IEnumerable<string>> InsertManyAsync(NpgsqlConnection connection, IReadOnlyList<NewAccount> accounts, DateTimeOffset now, NpgsqlTransaction transaction) =>
        connection.QueryAsync<string>(
            """
            INSERT INTO users (id, username, display_name, email, phone, password_hash, role, tenant_id, unit_id, created_at, must_change_password)
            SELECT id, username, display_name, email, phone, hash, role, tenant, unit, @now, true
            FROM unnest(@ids, @names, @displayNames, @emails, @phones, @hashes, @roles, @tenants, @units)
                 AS a(id, username, display_name, email, phone, hash, role, tenant, unit)
            ON CONFLICT DO NOTHING
            RETURNING username
            """,
            new
            {
                ids = accounts.Select(a => a.Id).ToArray(),
                names = accounts.Select(a => a.UserName).ToArray(),
                displayNames = accounts.Select(a => a.DisplayName).ToArray(),
                emails = accounts.Select(a => a.Email).ToArray(),
                phones = accounts.Select(a => a.Phone).ToArray(),
                hashes = accounts.Select(a => a.PasswordHash).ToArray(),
                roles = accounts.Select(a => a.Role).ToArray(),
                tenants = accounts.Select(a => a.Tenant).ToArray(),
                units = accounts.Select(a => a.UnitId).ToArray(),
                now,
            }, transaction);

    public static Task UpdateAsync(NpgsqlConnection connection, Guid id, string displayName, string? email, string? phone, string role, string? unitId, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            UPDATE users SET display_name = @displayName, email = @email, phone = @phone, role = @role, unit_id = @unitId, updated_at = @now
            WHERE id = @id
            """, new { id, displayName, email, phone, role, unitId, now });

    public static Task SetDisabledAsync(NpgsqlConnection connection, Guid id, bool disabled, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            UPDATE users SET is_active = NOT @disabled, disabled_at = CASE WHEN @disabled THEN @now END, updated_at = @now
            WHERE id = @id
            """, new { id, disabled, now });

    /// <summary>A new password hash; a one-time password must be changed at the next sign-in, a chosen one need not.</summary>
    public static Task SetPasswordAsync(NpgsqlConnection connection, Guid id, string hash, bool mustChange, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            UPDATE users SET password_hash = @hash, must_change_password = @mustChange, failed_attempts = 0, locked_until = NULL, updated_at = @now
            WHERE id = @id
            """, new { id, hash, mustChange, now });
}
