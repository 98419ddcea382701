namespace ParPlatform.Ranking.Scoring;

/// <summary>A unit's published standing in the group's previous round.</summary>
public sealed record PreviousStanding(Guid UnitId, string UnitName, decimal TotalPoints, decimal IndexPercent, int Rank);

public enum LineageEvent { Rename, Merge, Split }

/// <summary>A unit the current unit came from, as the criteria service's lineage says.</summary>
public sealed record Predecessor(Guid UnitId, LineageEvent Event);

/// <param name="Basis">"same", "rename", "merge" or "split": what the comparison is made against.</param>
/// <param name="RankChange">Places gained (positive) or lost; null when the comparison is not like for like.</param>
public sealed record YearOverYearChange(
    string Basis, decimal PreviousPoints, decimal PreviousPercent, int? PreviousRank,
    decimal PointsChange, decimal PercentChange, int? RankChange);

/// <summary>
/// The comparison rule with last year's published result of the same group:
/// <list type="bullet">
/// <item>the same unit, or a unit that was only renamed: compare directly, points, percentage and rank;</item>
/// <item>a unit formed by a merger (or one that absorbed others and kept its id): compare with the mean of its
/// predecessors' points and percentages, and show no rank change (the group itself changed);</item>
/// <item>a unit split off another: compare with that predecessor's figures, again without a rank change;</item>
/// <item>anything else (a new unit, predecessors without a published result): no comparison.</item>
/// </list>
/// </summary>
public static class YearOverYear
{
    public static YearOverYearChange? Compare(
        RankedUnit current, IReadOnlyDictionary<Guid, PreviousStanding> previous, IReadOnlyList<Predecessor> predecessors)
    {
        var unitId = current.Result.UnitId;
        if (predecessors.Any(p => p.Event == LineageEvent.Merge))
        {
            // A unit that absorbed others keeps its id: its own last result is one of the predecessors.
            var merged = predecessors.Select(p => p.UnitId).Append(unitId).Distinct()
                .Where(previous.ContainsKey).Select(id => previous[id]).ToList();
            return merged.Count == 0 ? null : WithoutRank("merge", current, merged);
        }
        if (previous.TryGetValue(unitId, out var same))
        {
            return Direct("same", current, same);
        }
        if (predecessors is [{ Event: LineageEvent.Rename } renamed] && previous.TryGetValue(renamed.UnitId, out var before))
        {
            return Direct("rename", current, before);
        }
        var parents = predecessors.Where(p => previous.ContainsKey(p.UnitId)).Select(p => previous[p.UnitId]).ToList();
        return parents.Count == 0 ? null : WithoutRank("split", current, parents);
    }

    private static YearOverYearChange WithoutRank(string basis, RankedUnit current, IReadOnlyList<PreviousStanding> before)
    {
        var points = before.Average(p => p.TotalPoints);
        var percent = before.Average(p => p.IndexPercent);
        return new YearOverYearChange(basis, points, percent, null,
            current.Result.TotalPoints - points, current.Result.IndexPercent - percent, null);
    }

    private static YearOverYearChange Direct(string basis, RankedUnit current, PreviousStanding before) =>
        new(basis, before.TotalPoints, before.IndexPercent, before.Rank,
            current.Result.TotalPoints - before.TotalPoints, current.Result.IndexPercent - before.IndexPercent,
            before.Rank - current.Rank);
}
