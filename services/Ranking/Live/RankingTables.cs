using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Live;

/// <summary>The group tables: live (ranked from the current scorecards on every read) and published (frozen).</summary>
public sealed class RankingTables(TenantDataSource dataSource, CriteriaDirectory criteria, RankingOptions options, TimeProvider clock)
{
    /// <returns>null when the criteria service does not know the round.</returns>
    public async Task<(RoundContext Round, GroupTable Table)?> LiveAsync(Guid roundId, CancellationToken cancellationToken)
    {
        if (await criteria.GetRoundAsync(roundId, cancellationToken) is not { } round)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var results = await ResultData.LoadSummariesAsync(connection, null, roundId);
        return (round, await BuildAsync(connection, round, results, cancellationToken));
    }

    /// <summary>
    /// Freezes the live table as the next version and announces it through the outbox, in one transaction. The rows
    /// read are held until commit, so each published scorecard is exactly the one its table row was ranked from.
    /// </summary>
    public async Task<PublishedSnapshot?> PublishAsync(Guid roundId, string publishedBy, CancellationToken cancellationToken)
    {
        if (await criteria.GetRoundAsync(roundId, cancellationToken) is not { } round)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SnapshotData.LockRoundAsync(connection, transaction, roundId);
        var results = await ResultData.LoadSummariesAsync(connection, transaction, roundId, lockRows: true);
        var table = await BuildAsync(connection, round, results, cancellationToken);
        var publishedAt = clock.GetUtcNow();
        var version = await SnapshotData.InsertAsync(connection, transaction, table, publishedAt, publishedBy);
        await Outbox.EnqueueAsync(connection, transaction,
            new RankingPublished(table.RoundId, table.TenantId, table.RankingGroup, version, publishedAt));
        await transaction.CommitAsync(cancellationToken);
        return new PublishedSnapshot(version, publishedAt, publishedBy, table);
    }

    /// <param name="version">null for the latest.</param>
    /// <param name="unitId">Just this unit, with its whole scorecard.</param>
    public async Task<PublishedSnapshot?> PublishedAsync(Guid roundId, int? version, Guid? unitId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await SnapshotData.LoadAsync(connection, roundId, version, unitId);
    }

    public async Task<(RoundContext Round, WhatIfResult Result)?> WhatIfAsync(Guid roundId, Guid unitId, int topGaps, CancellationToken cancellationToken)
    {
        if (await criteria.GetRoundAsync(roundId, cancellationToken) is not { } round || !round.Units.ContainsKey(unitId))
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
        NpgsqlConnection connection, RoundContext round, IReadOnlyList<UnitResult> results, CancellationToken cancellationToken)
    {
        var ranked = results.Where(result => round.Units.ContainsKey(result.UnitId)).ToList();
        var previous = round.Round.PreviousRoundId is { } previousRoundId
            ? await SnapshotData.LoadStandingsAsync(connection, previousRoundId)
            : new Dictionary<Guid, PreviousStanding>();
        var lineage = previous.Count == 0
            ? new Dictionary<Guid, IReadOnlyList<Predecessor>>()
            : await LineageAsync(ranked.Select(result => result.UnitId), cancellationToken);
        return GroupTable.Build(round.Round, round.Set, ranked, options, clock.GetUtcNow(), previous, lineage);
    }

    private async Task<Dictionary<Guid, IReadOnlyList<Predecessor>>> LineageAsync(IEnumerable<Guid> unitIds, CancellationToken cancellationToken)
    {
        var lineage = new System.Collections.Concurrent.ConcurrentDictionary<Guid, IReadOnlyList<Predecessor>>();
        await Parallel.ForEachAsync(unitIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (unitId, token) => lineage[unitId] = await criteria.GetPredecessorsAsync(unitId, token));
        return new Dictionary<Guid, IReadOnlyList<Predecessor>>(lineage);
    }
}
