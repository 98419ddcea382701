namespace ParPlatform.Ranking.Scoring;

public sealed record GroupRow(int Rank, UnitResult Result, YearOverYearChange? Change);

/// <summary>A round's ranking group as computed at one moment: the live view, or the body of a published snapshot.</summary>
public sealed record GroupTable(
    Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    IReadOnlyList<GroupRow> Rows, GroupStatistics Statistics)
{
    /// <summary>Ranks, statistics and year-over-year changes from the units' scorecards.</summary>
    public static GroupTable Build(
        RoundHeader round, ScoringSet set, IEnumerable<UnitResult> results, RankingOptions options, DateTimeOffset computedAt,
        IReadOnlyDictionary<Guid, PreviousStanding> previous, IReadOnlyDictionary<Guid, IReadOnlyList<Predecessor>> lineage)
    {
        var ranked = GroupRanker.Rank(results, options);
        var rows = ranked
            .Select(unit => new GroupRow(unit.Rank, unit.Result,
                YearOverYear.Compare(unit, previous, lineage.GetValueOrDefault(unit.Result.UnitId) ?? [])))
            .ToList();
        return new GroupTable(round.RoundId, round.TenantId, round.RankingGroup, round.Year, round.Name, computedAt, rows,
            GroupStatistics.Of(ranked, set.Bands, options));
    }
}

public sealed record RoundHeader(
    Guid RoundId, string TenantId, int Year, string Name, Guid CriteriaSetId, string RankingGroup, Guid? PreviousRoundId);
