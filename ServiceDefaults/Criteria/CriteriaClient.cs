using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.ServiceDefaults.Criteria;

/// <summary>How every service calls the criteria service; bound from the <c>CriteriaClient</c> configuration section.</summary>
public sealed class CriteriaClientOptions
{
    public const string Section = "CriteriaClient";

    /// <summary>
    /// The deadline of each call, gRPC's retries of Unavailable included. The criteria service answers reference
    /// reads from one indexed query; a call still running after this is stuck, and the request waiting on it had
    /// better fail with 503 than hold its thread.
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound of the published-set cache, in serialized bytes (a real set is tens of kilobytes).</summary>
    public long PublishedSetCacheBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// How long a published set stays cached. Its tree, maxima and bands never change once published, but its
    /// status may still move to Retired; after this long a caller sees that.
    /// </summary>
    public TimeSpan PublishedSetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a round may be served from the cache. Zero (the default): not cached, every read asks the criteria
    /// service, because administrators move windows and mark items not applicable while a round runs, and the
    /// callers act on the latest (submission and evidence lock by the self-assessment window, ranking recomputes on
    /// the event that says a unit's applicability has just changed). A round's units are kept by the version the
    /// round shows (<see cref="CriteriaClient.ListRoundUnitsAsync(Round, CancellationToken)"/>), so they are exactly
    /// as fresh as the round.
    /// </summary>
    public TimeSpan RoundLifetime { get; set; } = TimeSpan.Zero;
}

/// <summary>The criteria service did not answer in time (gRPC Unavailable or DeadlineExceeded): answered as 503.</summary>
public sealed class CriteriaUnavailableException(string operation, RpcException inner)
    : Exception($"The criteria service did not answer {operation} ({inner.StatusCode}); try again.", inner)
{
    public StatusCode StatusCode => inner.StatusCode;
}

/// <summary>
/// The one client of the criteria service (gRPC), shared by every service that reads criteria sets, rounds, their
/// units and unit lineage. One deadline per call, one cache, one reading of the contract's decimals, one mapping
/// of gRPC errors: NotFound is an absent result (null), Unavailable and DeadlineExceeded a
/// <see cref="CriteriaUnavailableException"/>; any other status is a bug and surfaces as the RpcException.
/// </summary>
public sealed class CriteriaClient : IDisposable
{
    private readonly CriteriaService.CriteriaServiceClient _grpc;
    private readonly CriteriaClientOptions _options;

    // A cache of its own (not the process's shared IMemoryCache), so its size limit counts only its own entries and
    // no other user of IMemoryCache has to give its entries a size.
    private readonly MemoryCache _cache;

    public CriteriaClient(CriteriaService.CriteriaServiceClient grpc, IOptions<CriteriaClientOptions> options)
    {
        _grpc = grpc;
        _options = options.Value;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.PublishedSetCacheBytes });
    }

    /// <returns>The set with its whole tree, or null when the criteria service does not know it. A published set is
    /// one instance shared by every caller: read it, never change it.</returns>
    public async Task<CriteriaSet?> GetCriteriaSetAsync(string setId, CancellationToken cancellationToken)
    {
        // Only published sets are cached: a draft changes with every edit (its version moves).
        if (_cache.TryGetValue(("set", setId), out CriteriaSet? cached))
        {
            return cached;
        }
        var set = await CallAsync("GetCriteriaSet", options => _grpc.GetCriteriaSetAsync(new GetCriteriaSetRequest { SetId = setId }, options), cancellationToken);
        if (set?.Status == SetStatus.Published)
        {
            _cache.Set(("set", setId), set, new MemoryCacheEntryOptions
            {
                Size = set.CalculateSize(),
                AbsoluteExpirationRelativeToNow = _options.PublishedSetLifetime,
            });
        }
        return set;
    }

    /// <returns>The round, or null when the criteria service does not know it.</returns>
    public Task<Round?> GetRoundAsync(Guid roundId, CancellationToken cancellationToken) =>
        RecentAsync(("round", roundId), reply => reply.CalculateSize(), () => CallAsync("GetRound",
            options => _grpc.GetRoundAsync(new GetRoundRequest { RoundId = roundId.ToString() }, options), cancellationToken));

    /// <returns>The units evaluated together in the round, with their not-applicable codes; null when the round is unknown.</returns>
    public async Task<IReadOnlyList<EvaluatedUnit>?> ListRoundUnitsAsync(Guid roundId, CancellationToken cancellationToken) =>
        await GetRoundAsync(roundId, cancellationToken) is { } round ? await ListRoundUnitsAsync(round, cancellationToken) : null;

    /// <summary>
    /// The round's units as of the version <paramref name="round"/> shows: the last answer is kept and reused until
    /// the round's <c>units_version</c> moves (the criteria service moves it in the transaction of any change of the
    /// units, their records or their not-applicable marks), so a caller holding a fresh round never sees older units,
    /// and a 3,321-unit round is read once per change instead of once per use.
    /// </summary>
    public async Task<IReadOnlyList<EvaluatedUnit>?> ListRoundUnitsAsync(Round round, CancellationToken cancellationToken)
    {
        var key = ("units", round.Id);
        if (_cache.TryGetValue(key, out ListRoundUnitsReply? kept) && kept!.UnitsVersion >= round.UnitsVersion)
        {
            return kept.Units;
        }
        var reply = await CallAsync("ListRoundUnits",
            options => _grpc.ListRoundUnitsAsync(new ListRoundUnitsRequest { RoundId = round.Id }, options), cancellationToken);
        if (reply is not null)
        {
            _cache.Set(key, reply, new MemoryCacheEntryOptions { Size = reply.CalculateSize(), SlidingExpiration = RoundUnitsKept });
        }
        return reply?.Units;
    }

    // A round nobody has asked about for this long leaves the cache (rounds are tens a year per province).
    private static readonly TimeSpan RoundUnitsKept = TimeSpan.FromMinutes(30);

    /// <summary>The unit itself and the units it became (forward) or came from (backward). Never cached: lineage is edited.</summary>
    public async Task<IReadOnlyList<LineageLink>?> ResolveLineageAsync(Guid unitId, LineageDirection direction, CancellationToken cancellationToken) =>
        (await CallAsync("ResolveLineage", options => _grpc.ResolveLineageAsync(
            new ResolveLineageRequest { UnitId = unitId.ToString(), Direction = direction }, options), cancellationToken))?.Units;

    /// <summary>
    /// A decimal of the contract: an invariant-culture string ("12.5", "-2", "0.25"), parsed exactly (decimal, never
    /// binary floating point); "" (no value, e.g. a set without a score step) is null.
    /// </summary>
    public static decimal? ParseDecimal(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    public void Dispose() => _cache.Dispose();

    private async Task<T?> RecentAsync<T>(object key, Func<T, int> size, Func<Task<T?>> read) where T : class
    {
        if (_options.RoundLifetime <= TimeSpan.Zero)
        {
            return await read();
        }
        if (_cache.TryGetValue(key, out T? cached))
        {
            return cached;
        }
        var value = await read();
        if (value is not null)
        {
            _cache.Set(key, value, new MemoryCacheEntryOptions { Size = size(value), AbsoluteExpirationRelativeToNow = _options.RoundLifetime });
        }
        return value;
    }

    private async Task<T?> CallAsync<T>(string operation, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await call(new CallOptions(deadline: DateTime.UtcNow + _options.Deadline, cancellationToken: cancellationToken));
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            throw new CriteriaUnavailableException(operation, exception);
        }
    }
}
