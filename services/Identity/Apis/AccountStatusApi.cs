using Dapper;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Identity.Apis;

/// <summary>
/// <c>GET /internal/disabled-accounts</c>: the ids of disabled accounts, which the gateway polls (every 20 s) and
/// refuses tokens of, so a disabled person's unexpired access tokens (15 minutes from the password grant) stop
/// working at every service within a minute, without each service asking identity on every request. Outside
/// <c>/api</c>, so the gateway does not route it: only in-cluster callers reach it, and it names no one (ids only).
/// </summary>
internal static class AccountStatusApi
{
    public const string Path = "/internal/disabled-accounts";

    public sealed record DisabledAccountsReply(IReadOnlyList<string> Disabled);

    public static void MapAccountStatusApi(this WebApplication app) =>
        app.MapGet(Path, async (TenantDataSource dataSource) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return TypedResults.Ok(new DisabledAccountsReply(
                (await connection.QueryAsync<Guid>("SELECT id FROM users WHERE NOT is_active")).Select(id => id.ToString()).ToList()));
        }).ExcludeFromDescription();
}
