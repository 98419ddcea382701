using Dapper;
using Npgsql;

namespace ParPlatform.Identity.Data;

public static class AuditEvents
{
    public const string SignIn = "sign-in";
    public const string TokenGranted = "token-granted";
    public const string GrantRefused = "grant-refused";
}

public sealed record AuditEntry(string Event, string GrantType, string? Subject, string? TenantId, string? Reason);

/// <summary>The access-audit table: every sign-in, token grant and refused grant, with where it came from.</summary>
public sealed class AccessAudit(TenantDataSource dataSource, TimeProvider clock)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public async Task RecordAsync(AuditEntry entry, HttpContext context)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO access_audit (occurred_at, event, grant_type, subject, tenant_id, reason, remote_address, correlation_id)
            VALUES (@now, @Event, @GrantType, @Subject, @TenantId, @Reason, @remote, @correlation)
            """,
            new
            {
                now = clock.GetUtcNow(),
                entry.Event,
                entry.GrantType,
                Subject = Truncate(entry.Subject),
                entry.TenantId,
                entry.Reason,
                remote = context.Connection.RemoteIpAddress?.ToString(),
                correlation = Truncate(context.Request.Headers[CorrelationHeader].ToString()) is { Length: > 0 } id ? id : null,
            });
    }

    // Whatever a caller typed as a username is recorded, but never more than a sane length.
    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] : value;
}
