using ParPlatform.ServiceDefaults.Figures;
namespace ParPlatform.Ranking.Scoring;

/// <summary>How units with the same published index are separated.</summary>
public enum TieBreak
{
    /// <summary>Equal published indices share a rank (1, 2, 2, 4): no public rule separates them.</summary>
    None,
    /// <summary>The higher published appraisal-part percentage ranks first; still equal, the rank is shared.</summary>
    AppraisalPercent,
    /// <summary>The higher published survey-part percentage ranks first; still equal, the rank is shared.</summary>
    SurveyPercent,
}

/// <param name="FieldHighlights">How many strongest and weakest fields the statistics name.</param>
public sealed record RankingOptions(TieBreak TieBreak = TieBreak.None, int FieldHighlights = 2)
{
    public static readonly RankingOptions Default = new();
}

public sealed record RankedUnit(int Rank, UnitResult Result);

/// <summary>
/// Standard competition ranking ("1, 2, 2, 4") on the index percentage as published (two decimals, see
/// <see cref="Figures"/>), then the configured tie-break. Units sharing a rank are listed by name (Vietnamese
/// collation) so every table prints in the same order.
/// </summary>
public static class GroupRanker
{
    private static readonly StringComparer VietnameseNames = StringComparer.Create(Figures.Vietnamese, ignoreCase: true);

    public static IReadOnlyList<RankedUnit> Rank(IEnumerable<UnitResult> results, RankingOptions options)
    {
        var ordered = results
            .OrderByDescending(result => Figures.Round(result.IndexPercent))
            .ThenByDescending(result => TieKey(result, options.TieBreak))
            .ThenBy(result => result.UnitName, VietnameseNames)
            .ThenBy(result => result.UnitId)
            .ToList();

        var ranked = new List<RankedUnit>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var sharesRank = i > 0 && SameStanding(ordered[i], ordered[i - 1], options.TieBreak);
            ranked.Add(new RankedUnit(sharesRank ? ranked[i - 1].Rank : i + 1, ordered[i]));
        }
        return ranked;
    }

    /// <summary>The rank a (possibly changed) unit would take among the others, who stay as they are.</summary>
    public static int RankOf(UnitResult unit, IEnumerable<UnitResult> others, TieBreak tieBreak) =>
        1 + others.Count(other => other.UnitId != unit.UnitId && Compare(other, unit, tieBreak) > 0);

    private static bool SameStanding(UnitResult a, UnitResult b, TieBreak tieBreak) => Compare(a, b, tieBreak) == 0;

    private static int Compare(UnitResult a, UnitResult b, TieBreak tieBreak)
    {
        var byIndex = Figures.Round(a.IndexPercent).CompareTo(Figures.Round(b.IndexPercent));
        return byIndex != 0 ? byIndex : TieKey(a, tieBreak).CompareTo(TieKey(b, tieBreak));
    }

    private static decimal TieKey(UnitResult result, TieBreak tieBreak) => tieBreak switch
    {
        TieBreak.AppraisalPercent => Figures.Round(result.Appraisal.Percent),
        TieBreak.SurveyPercent => Figures.Round(result.Survey.Percent),
        _ => 0,
    };
}
