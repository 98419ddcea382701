using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Identity.Data;

public sealed record UserAccount(
    Guid Id, string Username, string DisplayName, string PasswordHash, string Role, string TenantId, string? UnitId,
    bool IsActive, int FailedAttempts, DateTime? LockedUntil, bool MustChangePassword);

public sealed record ApiClient(string ClientId, string SecretHash, string Role, string TenantId, bool IsActive);

/// <summary>Users and API clients as the token endpoint needs them.</summary>
public sealed class Accounts(TenantDataSource dataSource)
{
    private const string UserColumns =
        """
        SELECT id, username, display_name AS DisplayName, password_hash AS PasswordHash, role, tenant_id AS TenantId, unit_id AS UnitId,
               is_active AS IsActive, failed_attempts AS FailedAttempts, locked_until AS LockedUntil,
               must_change_password AS MustChangePassword
        FROM users
        """;

    public async Task<UserAccount?> FindUserAsync(string username)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<UserAccount>($"{UserColumns} WHERE lower(username) = lower(@username)", new { username });
    }

    public async Task<UserAccount?> FindUserAsync(Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<UserAccount>($"{UserColumns} WHERE id = @id", new { id });
    }

    public async Task<ApiClient?> FindClientAsync(string clientId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<ApiClient>(
            """
            SELECT client_id AS ClientId, secret_hash AS SecretHash, role, tenant_id AS TenantId, is_active AS IsActive
            FROM api_clients WHERE client_id = @clientId
            """, new { clientId });
    }

    /// <summary>
    /// Counts a wrong password. From the <paramref name="lockAfter"/>-th failure in a row on, each failure locks the
    /// account, for <paramref name="baseDelay"/> doubled per failure beyond the threshold (1x, 2x, 4x ...), at most
    /// <paramref name="maxDelay"/>: a guesser gets ever slower, a user who mistyped waits a minute. Returns the lock's
    /// end when this failure locked the account.
    /// </summary>
    public async Task<DateTimeOffset?> RecordFailedPasswordAsync(Guid userId, int lockAfter, TimeSpan baseDelay, TimeSpan maxDelay, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var failures = await connection.ExecuteScalarAsync<int>(
            "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = @userId RETURNING failed_attempts", new { userId });
        if (failures < lockAfter)
        {
            return null;
        }
        var delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(failures - lockAfter, 30))));
        var until = now + delay;
        await connection.ExecuteAsync("UPDATE users SET locked_until = @until WHERE id = @userId", new { userId, until });
        return until;
    }

    public async Task RecordSignInAsync(Guid userId, string? newPasswordHash)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE users SET failed_attempts = 0, locked_until = NULL, password_hash = coalesce(@newPasswordHash, password_hash),
                             last_sign_in_at = now()
            WHERE id = @userId
            """, new { userId, newPasswordHash });
    }
}
