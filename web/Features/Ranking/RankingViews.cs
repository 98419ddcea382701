namespace ParPlatform.Web.Features.Ranking;

// What the ranking pages read of the ranking service's answers (services/Ranking/README.md). Only what a page shows.

/// <param name="Source">"Appraised", "Survey" or "Mixed" (a field or criterion with both kinds under it).</param>
/// <param name="Kind">"Regular", "Bonus" or "Penalty".</param>
public sealed record RankNode(string Code, string? ParentCode, int Level, string Name, bool Applicable, decimal Points, decimal MaxPoints, decimal Percent,
    string Source = "Appraised", string Kind = "Regular", bool IsLeaf = false);

public sealed record RankPart(decimal Points, decimal MaxPoints, decimal Percent);

public sealed record RankResult(Guid UnitId, string UnitName, IReadOnlyList<RankNode> Nodes, RankPart Appraisal, RankPart Survey,
    decimal TotalPoints, decimal ApplicableMaxPoints, decimal IndexPercent, string? Band);

public sealed record RankYearChange(string Basis, decimal PreviousPoints, decimal PreviousPercent, int? PreviousRank,
    decimal PointsChange, decimal PercentChange, int? RankChange);

public sealed record RankRow(int Rank, RankResult Result, RankYearChange? Change, string? UnitCode, IReadOnlyList<string>? Missing);

public sealed record RankBand(string Label, int Count);

public sealed record RankFieldAverage(string Code, string Name, decimal AveragePercent);

public sealed record RankStatistics(int Count, decimal AveragePercent, decimal MedianPercent, IReadOnlyList<RankBand> Bands,
    IReadOnlyList<RankFieldAverage> FieldAverages);

public sealed record RankExcluded(Guid UnitId, string? UnitCode, string UnitName, string Reason);

public sealed record RankTable(Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    IReadOnlyList<RankRow> Rows, RankStatistics Statistics, IReadOnlyList<RankExcluded>? Excluded, int PointDecimals);

/// <summary>One page of a live table (<c>live?page=</c>): the filtered rows' count, the page's rows, the whole group's statistics.</summary>
public sealed record RankLivePage(Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    RankStatistics Statistics, int PointDecimals, string Sort, int Page, int PageSize, int TotalRows, IReadOnlyList<RankRow> Rows);

public sealed record RankPublished(int Version, DateTimeOffset PublishedAt, string PublishedBy, RankTable Table);

public sealed record RankListing(Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, int LatestVersion,
    DateTimeOffset PublishedAt, int Versions);

/// <summary>One unit of the live group (<c>live/units/{unitId}</c>): its row with the whole scorecard, and the group's averages.</summary>
public sealed record RankLiveUnit(Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    RankRow Row, int GroupCount, decimal GroupAveragePercent, decimal GroupMedianPercent, IReadOnlyList<RankFieldAverage> FieldAverages, int PointDecimals);

/// <param name="RankReached">The rank reached by closing this gap and every larger one before it (null for survey items).</param>
public sealed record RankGap(string Code, string Name, decimal MaxPoints, decimal Points, decimal Missing, int? RankReached);

public sealed record RankWhatIf(Guid UnitId, int CurrentRank, decimal CurrentPercent, IReadOnlyList<RankGap> Gaps,
    decimal ProjectedPoints, decimal ProjectedPercent, int ProjectedRank, IReadOnlyList<RankGap> SurveyGaps);

/// <summary>The unit's self scores (submission service), beside the scores that count.</summary>
public sealed record RankSelfAssessment(Guid Id, string Status, IReadOnlyList<RankSelfItem> Items);

public sealed record RankSelfItem(string Code, decimal? SelfScore);
