namespace ParPlatform.Ranking.Scoring;

/// <param name="RankReached">The rank reached by scoring the maximum on this item and on every larger gap listed before
/// it (the projection one step at a time); null for survey items, which are never projected.</param>
public sealed record Gap(string Code, string Name, decimal MaxPoints, decimal Points, int? RankReached = null)
{
    public decimal Missing => MaxPoints - Points;
}

/// <param name="Gaps">The unit's own items (self-assessed, appraised) with the largest gaps: what it can act on.</param>
/// <param name="SurveyGaps">Survey items with the largest gaps, kept apart: measured by citizens' answers, not by the
/// unit's own work on an item, so they are not counted in the projection.</param>
public sealed record WhatIfResult(
    Guid UnitId, int CurrentRank, decimal CurrentPercent, IReadOnlyList<Gap> Gaps,
    decimal ProjectedPoints, decimal ProjectedPercent, int ProjectedRank, IReadOnlyList<Gap> SurveyGaps);

/// <summary>
/// "Phấn đấu đạt mức điểm tối đa": the applicable items the unit scores itself (appraised) where it lost most points,
/// and the rank it would reach by scoring the maximum on the top <c>n</c> of them while every other unit stays as it
/// is. Survey items are listed apart, by the same order, and never projected: the unit cannot score them itself.
/// </summary>
public static class WhatIf
{
    public const int MaxTop = 100;

    public static WhatIfResult Analyse(IReadOnlyList<UnitResult> group, Guid unitId, int topGaps, TieBreak tieBreak)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topGaps, 1);
        var unit = group.Single(result => result.UnitId == unitId);
        List<Gap> Largest(ScoreSource source) => unit.Nodes
            .Where(node => node.IsLeaf && node.Applicable && node.Kind == ItemKind.Regular && node.Source == source && node.Points < node.MaxPoints)
            .Select(node => new Gap(node.Code, node.Name, node.MaxPoints, node.Points))
            .OrderByDescending(gap => gap.Missing).ThenBy(gap => gap.Code, StringComparer.Ordinal)
            .Take(topGaps)
            .ToList();
        UnitResult Raised(decimal gained) => unit with
        {
            Appraisal = unit.Appraisal with { Points = unit.Appraisal.Points + gained },
            TotalPoints = unit.TotalPoints + gained,
        };
        var gaps = new List<Gap>();
        var gained = 0m;
        foreach (var gap in Largest(ScoreSource.Appraised))
        {
            gained += gap.Missing;
            gaps.Add(gap with { RankReached = GroupRanker.RankOf(Raised(gained), group, tieBreak) });
        }
        var projected = Raised(gained);

        return new WhatIfResult(unitId,
            GroupRanker.RankOf(unit, group, tieBreak), unit.IndexPercent, gaps,
            projected.TotalPoints, projected.IndexPercent, GroupRanker.RankOf(projected, group, tieBreak),
            Largest(ScoreSource.Survey));
    }
}
