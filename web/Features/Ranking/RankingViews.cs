namespace ParPlatform.Web.Features.Ranking;

// What the ranking pages read of the ranking service's answers (services/Ranking/README.md). Only what a page shows.

public sealed record RankNode(string Code, string? ParentCode, int Level, string Name, bool Applicable, decimal Points, decimal MaxPoints, decimal Percent);

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

public sealed record RankPublished(int Version, DateTimeOffset PublishedAt, string PublishedBy, RankTable Table);

public sealed record RankListing(Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, int LatestVersion,
    DateTimeOffset PublishedAt, int Versions);
