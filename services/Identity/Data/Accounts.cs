using Dapper;
using Npgsql;

namespace ParPlatform.Identity.Data;

public sealed record UserAccount(
    Guid Id, string Username, string PasswordHash, string Role, string TenantId, string? UnitId,
    bool IsActive, int FailedAttempts, DateTime? LockedUntil);

public sealed record ApiClient(string ClientId, string SecretHash, string Role, string TenantId, bool IsActive);

/// <summary>Users and API clients as the token endpoint needs them.</summary>
public sealed class Accounts(TenantDataSource dataSource)
{
    public async Task<UserAccount?> FindUserAsync(string username)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(
            """
            SELECT id, username, password_hash AS PasswordHash, role, tenant_id AS TenantId, unit_id AS UnitId,
                   is_active AS IsActive, failed_attempts AS FailedAttempts, locked_until AS LockedUntil
            FROM users WHERE lower(username) = lower(@username)
            """, new { username });
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

    /// <summary>Counts a wrong password; the <paramref name="lockAfter"/>-th in a row locks the account for a while.</summary>
    public async Task RecordFailedPasswordAsync(Guid userId, int lockAfter, DateTimeOffset lockedUntil)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE users SET failed_attempts = failed_attempts + 1,
                             locked_until = CASE WHEN failed_attempts + 1 >= @lockAfter THEN @lockedUntil ELSE locked_until END
            WHERE id = @userId
            """, new { userId, lockAfter, lockedUntil });
    }

    public async Task RecordSignInAsync(Guid userId, string? newPasswordHash)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE users SET failed_attempts = 0, locked_until = NULL, password_hash = coalesce(@newPasswordHash, password_hash)
            WHERE id = @userId
            """, new { userId, newPasswordHash });
    }
}
