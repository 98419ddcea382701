using Npgsql;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Ranking.Live;

/// <summary>A publication made (<paramref name="Published"/>), or why not: the units that block it, or its date not come.</summary>
public sealed record PublicationOutcome(PublishedSnapshot? Published, IReadOnlyList<BlockingUnit> Blocking, bool TooEarly);

/// <summary>The group tables: live (ranked from the current scorecards, see <see cref="LiveTableCache"/>) and published (frozen).</summary>
public sealed class RankingTables(
    TenantDataSource dataSource, CriteriaClient criteria, RankingOptions options, TimeProvider clock, LiveTableCache cache,
    ILogger<RankingTables> logger)
{
    /// <summary>
    /// The round's live table as it stands now: the cached one brought up to date with the units changed since it was
    /// built, or built afresh. Call it only once the caller may read the round's tenant: the entry is shared by every
    /// reader of the round and is filled through the caller's row-level security scope.
    /// </summary>
    public async Task<GroupTable> LiveAsync(RoundContext round, CancellationToken cancellationToken)
    {
        var roundId = round.Round.RoundId;
        var roundKey = LiveTableCache.KeyOf(round);
        var gate = cache.GateOf(roundId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var version = await ResultData.LoadVersionAsync(connection, roundId);
            var now = clock.GetUtcNow();
            if (cache.Find(roundId) is { } cached && cached.RoundKey == roundKey && now - cached.BuiltAt < LiveTableCache.RebuildAfter)
            {
                cached.LastRead = now;
                return cached.Version == version ? cached.Table : await RefreshAsync(connection, round, cached, version, cancellationToken);
            }
            var results = await ResultData.LoadSummariesAsync(connection, null, roundId);
            var received = await InputData.LoadReceivedAsync(connection, null, roundId);
            var (previous, lineage) = await YearOverYearInputsAsync(connection, round, results, cancellationToken);
            var table = Build(round, results, received, previous, lineage, []);
            cache.Keep(roundId, new LiveTableCache.Entry(version, roundKey, now, results.ToDictionary(result => result.UnitId), received,
                previous, lineage, table) { LastRead = now });
            return table;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The cached table with the units changed after its version (up to <paramref name="version"/>) read in and re-ranked.</summary>
    private async Task<GroupTable> RefreshAsync(
        NpgsqlConnection connection, RoundContext round, LiveTableCache.Entry cached, long version, CancellationToken cancellationToken)
    {
        var roundId = round.Round.RoundId;
        var changed = await ResultData.LoadChangedSummariesAsync(connection, roundId, cached.Version, version);
        var changedIds = changed.Select(result => result.UnitId).ToList();
        var results = new Dictionary<Guid, UnitResult>(cached.Results);
        foreach (var result in changed)
        {
            results[result.UnitId] = result;
        }
        var received = new Dictionary<Guid, UnitInputsReceived>(cached.Received);
        foreach (var (unitId, inputs) in await InputData.LoadReceivedAsync(connection, null, roundId, changedIds))
        {
            received[unitId] = inputs;
        }
        // A unit scored for the first time needs its predecessors for the year-over-year column.
        var newcomers = changedIds.Where(unitId => !cached.Lineage.ContainsKey(unitId) && round.Units.ContainsKey(unitId)).ToList();
        var lineage = cached.Previous.Count == 0 || newcomers.Count == 0
            ? cached.Lineage
            : new Dictionary<Guid, IReadOnlyList<Predecessor>>(cached.Lineage.Concat(await LineageAsync(newcomers, cancellationToken)));
        var table = Build(round, results.Values, received, cached.Previous, lineage, []);
        cache.Keep(roundId, cached with { Version = version, Results = results, Received = received, Lineage = lineage, Table = table });
        return table;
    }

    /// <summary>
    /// Freezes the live table as the next version and announces it through the outbox, in one transaction, when the
    /// round may be published (<see cref="PublicationGuard"/>); otherwise nothing is written and the outcome says why.
    /// The rows read are held until commit, so each published scorecard is exactly the one its table row was ranked from.
    /// </summary>
    public async Task<PublicationOutcome> PublishAsync(
        RoundContext round, PublicationRequest request, string publishedBy, CancellationToken cancellationToken)
    {
        var publishedAt = clock.GetUtcNow();
        if (PublicationGuard.TooEarly(round.Round, publishedAt, request))
        {
            return new PublicationOutcome(null, [], TooEarly: true);
        }
        var roundId = round.Round.RoundId;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SnapshotData.LockRoundAsync(connection, transaction, roundId);
        var results = await ResultData.LoadSummariesAsync(connection, transaction, roundId, lockRows: true);
        var received = await InputData.LoadReceivedAsync(connection, transaction, roundId);
        var finalised = received.Where(unit => unit.Value.Appraisal).Select(unit => unit.Key).ToHashSet();
        if (PublicationGuard.Blocking(round, finalised, request) is { Count: > 0 } blocking)
        {
            return new PublicationOutcome(null, blocking, TooEarly: false);
        }
        var table = await BuildAsync(connection, round, results, received, PublicationGuard.Excluded(round, request), cancellationToken);
        var early = round.Round.PublicationAt is { } publicationAt && publishedAt < publicationAt
            ? new EarlyPublication(publishedBy, publishedAt, request.EarlyPublicationReason!.Trim(), publicationAt)
            : null;
        var version = await SnapshotData.InsertAsync(connection, transaction, table, publishedAt, publishedBy, early);
        await transaction.CommitAsync(cancellationToken);
        if (early is not null)
        {
            logger.LogWarning("Round {RoundId} version {Version} published by {PublishedBy} before its publication date {PublicationAt}: {Reason}",
                roundId, version, publishedBy, early.PublicationAt, early.Reason);
        }
        return new PublicationOutcome(new PublishedSnapshot(version, publishedAt, publishedBy, table, early), [], TooEarly: false);
    }

    /// <summary>The latest publication of every round that has one, newest year first (filters optional).</summary>
    public async Task<IReadOnlyList<PublicationListing>> ListPublishedAsync(int? year, string? tenantId, string? rankingGroup,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await SnapshotData.ListAsync(connection, year, tenantId, rankingGroup);
    }

    /// <param name="version">null for the latest.</param>
    /// <param name="unitId">Just this unit, with its whole scorecard.</param>
    public async Task<PublishedSnapshot?> PublishedAsync(Guid roundId, int? version, Guid? unitId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await SnapshotData.LoadAsync(connection, roundId, version, unitId);
    }

    /// <summary>The unit's row of a live table with its whole scorecard (the table holds summaries); null when it is not ranked there.</summary>
    public async Task<LiveUnit?> LiveUnitAsync(GroupTable table, Guid unitId, CancellationToken cancellationToken)
    {
        if (table.Rows.FirstOrDefault(row => row.Result.UnitId == unitId) is not { } row)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var scorecard = await ResultData.LoadScorecardAsync(connection, table.RoundId, unitId) ?? row.Result;
        return LiveUnit.Of(table, row with { Result = scorecard });
    }

    public async Task<(RoundContext Round, WhatIfResult Result)?> WhatIfAsync(Guid roundId, Guid unitId, int topGaps, CancellationToken cancellationToken)
    {
        if (await criteria.GetRoundContextAsync(roundId, cancellationToken) is not { } round || !round.Units.ContainsKey(unitId))
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ResultData.LoadScorecardAsync(connection, roundId, unitId) is not { } unit)
        {
            return null;
        }
        // The unit's whole scorecard for its gaps; the others' summaries are enough to rank against.
        var others = (await ResultData.LoadSummariesAsync(connection, null, roundId))
            .Where(result => result.UnitId != unitId && round.Units.ContainsKey(result.UnitId));
        return (round, WhatIf.Analyse([unit, .. others], unitId, topGaps, options.TieBreak));
    }

    /// <summary>Ranks, statistics and year-over-year changes. Units that left the round's group are not ranked.</summary>
    private async Task<GroupTable> BuildAsync(
        NpgsqlConnection connection, RoundContext round, IReadOnlyList<UnitResult> results,
        IReadOnlyDictionary<Guid, UnitInputsReceived> received, IReadOnlyList<ExcludedUnit> excluded, CancellationToken cancellationToken)
    {
        var (previous, lineage) = await YearOverYearInputsAsync(connection, round, results, cancellationToken);
        return Build(round, results, received, previous, lineage, excluded);
    }

    private GroupTable Build(
        RoundContext round, IEnumerable<UnitResult> results, IReadOnlyDictionary<Guid, UnitInputsReceived> received,
        IReadOnlyDictionary<Guid, PreviousStanding> previous, IReadOnlyDictionary<Guid, IReadOnlyList<Predecessor>> lineage,
        IReadOnlyList<ExcludedUnit> excluded) =>
        GroupTable.Build(round.Round, round.Set, results.Where(result => round.Units.ContainsKey(result.UnitId)), options, clock.GetUtcNow(),
            previous, lineage, round.Units.ToDictionary(unit => unit.Key, unit => unit.Value.Code), received, excluded);

    /// <summary>The previous round's published standings and, when there are any, the ranked units' predecessors.</summary>
    private async Task<(IReadOnlyDictionary<Guid, PreviousStanding> Previous, IReadOnlyDictionary<Guid, IReadOnlyList<Predecessor>> Lineage)>
        YearOverYearInputsAsync(NpgsqlConnection connection, RoundContext round, IReadOnlyList<UnitResult> results, CancellationToken cancellationToken)
    {
        var previous = round.Round.PreviousRoundId is { } previousRoundId
            ? await SnapshotData.LoadStandingsAsync(connection, previousRoundId)
            : new Dictionary<Guid, PreviousStanding>();
        var lineage = previous.Count == 0
            ? new Dictionary<Guid, IReadOnlyList<Predecessor>>()
            : await LineageAsync(results.Select(result => result.UnitId).Where(round.Units.ContainsKey), cancellationToken);
        return (previous, lineage);
    }

    private async Task<Dictionary<Guid, IReadOnlyList<Predecessor>>> LineageAsync(IEnumerable<Guid> unitIds, CancellationToken cancellationToken)
    {
        var lineage = new System.Collections.Concurrent.ConcurrentDictionary<Guid, IReadOnlyList<Predecessor>>();
        await Parallel.ForEachAsync(unitIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (unitId, token) => lineage[unitId] = await criteria.GetPredecessorsAsync(unitId, token));
        return new Dictionary<Guid, IReadOnlyList<Predecessor>>(lineage);
    }
}
