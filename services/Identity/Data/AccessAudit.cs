using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Identity.Data;

public static class AuditEvents
{
    public const string SignIn = "sign-in";
    public const string TokenGranted = "token-granted";
    public const string GrantRefused = "grant-refused";
    public const string LockedOut = "locked-out";
    public const string PasswordChanged = "password-changed";
    public const string SignedOut = "signed-out";
    public const string TenantCreated = "tenant-created";
    public const string AccountCreated = "account-created";
    public const string AccountUpdated = "account-updated";
    public const string AccountDisabled = "account-disabled";
    public const string AccountEnabled = "account-enabled";
    public const string PasswordReset = "password-reset";
    public const string AccountsImported = "accounts-imported";
}

/// <param name="Subject">Who signed in (username or client id as presented), or the administrator who acted.</param>
/// <param name="Target">The account an administrator acted on.</param>
public sealed record AuditEntry(string Event, string? GrantType, string? Subject, string? TenantId, string? Reason)
{
    public string? Target { get; init; }
    public string? Details { get; init; }
}

/// <summary>The access-audit table: every sign-in, token grant and refused grant, with where it came from.</summary>
public sealed class AccessAudit(TenantDataSource dataSource, TimeProvider clock)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public async Task RecordAsync(AuditEntry entry, HttpContext context)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO access_audit (occurred_at, event, grant_type, subject, tenant_id, reason, remote_address, correlation_id, target, details)
            VALUES (@now, @Event, @GrantType, @Subject, @TenantId, @Reason, @remote, @correlation, @Target, @Details)
            """,
            new
            {
                now = clock.GetUtcNow(),
                entry.Event,
                entry.GrantType,
                Subject = Truncate(entry.Subject),
                entry.TenantId,
                entry.Reason,
                remote = RemoteAddress(context),
                Target = Truncate(entry.Target),
                entry.Details,
                correlation = Truncate(context.Request.Headers[CorrelationHeader].ToString()) is { Length: > 0 } id ? id : null,
            });
    }

    /// <summary>Many entries of one request at once (a bulk import's accounts), in one statement.</summary>
    public async Task RecordManyAsync(IReadOnlyList<AuditEntry> entries, HttpContext context)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO access_audit (occurred_at, event, grant_type, subject, tenant_id, reason, remote_address, correlation_id, target, details)
            SELECT @now, e.event, NULL, e.subject, e.tenant, NULL, @remote, @correlation, e.target, e.details
            FROM unnest(@events, @subjects, @tenants, @targets, @details) AS e(event, subject, tenant, target, details)
            """,
            new
            {
                now = clock.GetUtcNow(),
                events = entries.Select(e => e.Event).ToArray(),
                subjects = entries.Select(e => Truncate(e.Subject)).ToArray(),
                tenants = entries.Select(e => e.TenantId).ToArray(),
                targets = entries.Select(e => Truncate(e.Target)).ToArray(),
                details = entries.Select(e => e.Details).ToArray(),
                remote = RemoteAddress(context),
                correlation = Truncate(context.Request.Headers[CorrelationHeader].ToString()) is { Length: > 0 } id ? id : null,
            });
    }

    /// <summary>
    /// Where the request came from: behind the gateway, the address it saw (YARP sets X-Forwarded-For; the last entry
    /// is the one the nearest proxy added, so a client cannot choose it), else the connection's own peer.
    /// </summary>
    public static string? RemoteAddress(HttpContext context) =>
        context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded
            ? Truncate(forwarded.Split(',')[^1].Trim())
            : context.Connection.RemoteIpAddress?.ToString();

    // Whatever a caller typed as a username is recorded, but never more than a sane length.
    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] : value;
}
