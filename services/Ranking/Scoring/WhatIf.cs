namespace ParPlatform.Ranking.Scoring;

public sealed record Gap(string Code, string Name, decimal MaxPoints, decimal Points)
{
    public decimal Missing => MaxPoints - Points;
}

public sealed record WhatIfResult(
    Guid UnitId, int CurrentRank, decimal CurrentPercent, IReadOnlyList<Gap> Gaps,
    decimal ProjectedPoints, decimal ProjectedPercent, int ProjectedRank);

/// <summary>
/// "Phấn đấu đạt mức điểm tối đa": the applicable sub-criteria where the unit lost most points, and the rank it would
/// reach by scoring the maximum on the top <c>n</c> of them while every other unit stays as it is.
/// </summary>
public static class WhatIf
{
    public static WhatIfResult Analyse(IReadOnlyList<UnitResult> group, Guid unitId, int topGaps, TieBreak tieBreak)
    {
        var unit = group.Single(result => result.UnitId == unitId);
        var gaps = unit.Nodes
            .Where(node => node.IsLeaf && node.Applicable && node.Kind == ItemKind.Regular && node.Points < node.MaxPoints)
            .Select(node => new Gap(node.Code, node.Name, node.MaxPoints, node.Points))
            .OrderByDescending(gap => gap.Missing).ThenBy(gap => gap.Code, StringComparer.Ordinal)
            .Take(topGaps)
            .ToList();

        var closed = gaps.ToDictionary(gap => gap.Code);
        decimal Gained(ScoreSource source) => unit.Nodes
            .Where(node => node.IsLeaf && node.Source == source && closed.ContainsKey(node.Code))
            .Sum(node => closed[node.Code].Missing);
        var projected = unit with
        {
            Appraisal = unit.Appraisal with { Points = unit.Appraisal.Points + Gained(ScoreSource.Appraised) },
            Survey = unit.Survey with { Points = unit.Survey.Points + Gained(ScoreSource.Survey) },
            TotalPoints = unit.TotalPoints + gaps.Sum(gap => gap.Missing),
        };

        return new WhatIfResult(unitId,
            GroupRanker.RankOf(unit, group, tieBreak), unit.IndexPercent, gaps,
            projected.TotalPoints, projected.IndexPercent, GroupRanker.RankOf(projected, group, tieBreak));
    }
}
