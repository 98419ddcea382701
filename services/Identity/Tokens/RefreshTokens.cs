using Dapper;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Identity.Tokens;

/// <summary>Single-use refresh tokens (see V4__refresh_tokens.sql): rotation, reuse detection and revocation.</summary>
public sealed class RefreshTokens(TenantDataSource dataSource, TokenSettings settings, TimeProvider clock)
{
    public const string TokenIdClaim = "par:rt";
    public const string FamilyClaim = "par:rtf";

    /// <summary>Registers the next token of a family (a new family for a new sign-in); its id goes into the token.</summary>
    public async Task<Guid> IssueAsync(Guid userId, string tenantId, Guid family)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO refresh_tokens (id, family, user_id, tenant_id, issued_at, expires_at)
            VALUES (@id, @family, @userId, @tenantId, @now, @expires)
            """, new { id, family, userId, tenantId, now, expires = now + settings.RefreshTokenLifetime });
        return id;
    }

    /// <summary>
    /// Uses a token once: true if it was unused and unrevoked. A second use means the token leaked (or a client
    /// replayed it): the whole family is revoked, so the thief's and the owner's next refresh both fail.
    /// </summary>
    public async Task<bool> UseAsync(Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var used = await connection.ExecuteAsync(
            "UPDATE refresh_tokens SET used_at = now() WHERE id = @id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()", new { id });
        if (used == 0)
        {
            await connection.ExecuteAsync(
                "UPDATE refresh_tokens SET revoked_at = now() WHERE family = (SELECT family FROM refresh_tokens WHERE id = @id) AND revoked_at IS NULL", new { id });
        }
        return used == 1;
    }

    public async Task RevokeFamilyOfAsync(Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family = (SELECT family FROM refresh_tokens WHERE id = @id) AND revoked_at IS NULL", new { id });
    }

    /// <summary>Every refresh token of the user (sign-out everywhere, a disabled account).</summary>
    public async Task RevokeAllAsync(Guid userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = @userId AND revoked_at IS NULL", new { userId });
    }
}
