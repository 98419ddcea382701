using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Live;

/// <summary>
/// A unit's page of the live group: its row (rank, change, missing inputs) with the whole scorecard, and the group
/// figures it is read against (count, average and median index, per-field averages). Other units are not named, so a
/// unit's own leader may read it as well as the round's administrators.
/// </summary>
public sealed record LiveUnit(
    Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    GroupRow Row, int GroupCount, decimal GroupAveragePercent, decimal GroupMedianPercent,
    IReadOnlyList<FieldAverage> FieldAverages, int PointDecimals)
{
    public static LiveUnit Of(GroupTable table, GroupRow row) => new(
        table.RoundId, table.TenantId, table.RankingGroup, table.Year, table.RoundName, table.ComputedAt, row,
        table.Statistics.Count, table.Statistics.AveragePercent, table.Statistics.MedianPercent, table.Statistics.FieldAverages,
        table.PointDecimals);
}
