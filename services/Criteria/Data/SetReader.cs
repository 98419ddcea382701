using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Criteria.Data;

/// <summary>
/// Reads sets for REST, gRPC and rounds. A published tree never changes, so it is kept in memory and other services'
/// frequent reads by id cost no database round trip; drafts are always read fresh. Retiring changes only the status,
/// which a cached copy may show late (at most <see cref="Lifetime"/>) on another replica.
/// </summary>
internal sealed class SetReader(TenantDataSource dataSource, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<CriteriaSet?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(id, out CriteriaSet? cached)) return cached;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var set = await SetData.LoadAsync(connection, id);
        if (set is { Status: not SetStatus.Draft })
        {
            cache.Set(id, set, new MemoryCacheEntryOptions { SlidingExpiration = Lifetime });
        }
        return set;
    }

    public void Forget(Guid id) => cache.Remove(id);
}
