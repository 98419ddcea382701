namespace ParPlatform.Ranking.Scoring;

/// <param name="UnitCode">The unit's code in the criteria service (null in tables published before codes were kept).</param>
/// <param name="Missing">What the unit's result still lacks: "appraisal" (no finalised appraisal) and / or "survey" (no
/// survey points although the set has survey items). Empty when complete.</param>
public sealed record GroupRow(int Rank, UnitResult Result, YearOverYearChange? Change, string? UnitCode = null, IReadOnlyList<string>? Missing = null)
{
    public bool Incomplete => Missing is { Count: > 0 };
}

/// <summary>A unit of the round left out of a published table on purpose, with the administrator's reason.</summary>
public sealed record ExcludedUnit(Guid UnitId, string? UnitCode, string UnitName, string Reason);

/// <summary>Which inputs a unit's result is made of.</summary>
public sealed record UnitInputsReceived(bool Appraisal, bool Survey);

/// <summary>A round's ranking group as computed at one moment: the live view, or the body of a published snapshot.</summary>
/// <param name="Excluded">Units of the round not ranked in this table, each with its reason (publication only).</param>
/// <param name="PointDecimals">Decimals every point figure is shown with (the set's precision); percentages have 2.</param>
public sealed record GroupTable(
    Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    IReadOnlyList<GroupRow> Rows, GroupStatistics Statistics, IReadOnlyList<ExcludedUnit>? Excluded = null, int PointDecimals = 2)
{
    public const string MissingAppraisal = "appraisal";
    public const string MissingSurvey = "survey";

    /// <summary>Ranks, statistics and year-over-year changes from the units' scorecards; excluded units are not ranked.</summary>
    /// <param name="codes">Unit codes by id (the criteria service's).</param>
    /// <param name="received">Inputs received per unit, to mark incomplete rows; null when not known.</param>
    public static GroupTable Build(
        RoundHeader round, ScoringSet set, IEnumerable<UnitResult> results, RankingOptions options, DateTimeOffset computedAt,
        IReadOnlyDictionary<Guid, PreviousStanding> previous, IReadOnlyDictionary<Guid, IReadOnlyList<Predecessor>> lineage,
        IReadOnlyDictionary<Guid, string>? codes = null, IReadOnlyDictionary<Guid, UnitInputsReceived>? received = null,
        IReadOnlyList<ExcludedUnit>? excluded = null)
    {
        var excludedIds = (excluded ?? []).Select(unit => unit.UnitId).ToHashSet();
        var ranked = GroupRanker.Rank(results.Where(result => !excludedIds.Contains(result.UnitId)), options);
        var rows = ranked
            .Select(unit => new GroupRow(unit.Rank, unit.Result,
                YearOverYear.Compare(unit, previous, lineage.GetValueOrDefault(unit.Result.UnitId) ?? []),
                codes?.GetValueOrDefault(unit.Result.UnitId),
                Missing(set, received is null ? new(true, true) : received.GetValueOrDefault(unit.Result.UnitId, new(false, false)))))
            .ToList();
        return new GroupTable(round.RoundId, round.TenantId, round.RankingGroup, round.Year, round.Name, computedAt, rows,
            GroupStatistics.Of(ranked, set.Bands, options), excluded ?? [], set.PointDecimals);
    }

    private static IReadOnlyList<string> Missing(ScoringSet set, UnitInputsReceived received) =>
        [.. received.Appraisal ? [] : new[] { MissingAppraisal }, .. received.Survey || !set.HasSurveyItems ? [] : new[] { MissingSurvey }];
}

/// <param name="PublicationAt">The round's publication date: publishing earlier needs an administrator's reason.</param>
public sealed record RoundHeader(
    Guid RoundId, string TenantId, int Year, string Name, Guid CriteriaSetId, string RankingGroup, Guid? PreviousRoundId,
    DateTimeOffset? PublicationAt = null);
