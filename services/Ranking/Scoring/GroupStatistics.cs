namespace ParPlatform.Ranking.Scoring;

public sealed record UnitFigure(Guid UnitId, string UnitName, decimal Percent);

public sealed record BandCount(string Label, int Count);

public sealed record FieldAverage(string Code, string Name, decimal AveragePercent);

/// <summary>What a provincial report says about a group: "19 departments averaged 79.88%; highest ... lowest ...".</summary>
public sealed record GroupStatistics(
    int Count, decimal AveragePercent, decimal MedianPercent, decimal AveragePoints, UnitFigure? Highest, UnitFigure? Lowest,
    IReadOnlyList<BandCount> Bands, IReadOnlyList<FieldAverage> FieldAverages,
    IReadOnlyList<FieldAverage> StrongestFields, IReadOnlyList<FieldAverage> WeakestFields)
{
    /// <summary>
    /// Averages are of the units' unrounded percentages (each unit weighs the same, whatever its applicable maximum).
    /// A field's average counts only the units it applies to. Highest and lowest follow the ranking's order.
    /// </summary>
    public static GroupStatistics Of(IReadOnlyList<RankedUnit> ranked, IReadOnlyList<Band> bands, RankingOptions options)
    {
        if (ranked.Count == 0)
        {
            return new GroupStatistics(0, 0, 0, 0, null, null, bands.Select(band => new BandCount(band.Label, 0)).ToList(), [], [], []);
        }
        var percents = ranked.Select(unit => unit.Result.IndexPercent).Order().ToList();
        var middle = percents.Count / 2;
        var median = percents.Count % 2 == 1 ? percents[middle] : (percents[middle - 1] + percents[middle]) / 2;

        var fields = ranked
            .SelectMany(unit => unit.Result.Fields.Where(field => field.Applicable && field.MaxPoints > 0))
            .GroupBy(field => field.Code)
            .Select(group => new FieldAverage(group.Key, group.First().Name, group.Average(field => field.Percent)))
            .ToList();

        return new GroupStatistics(
            ranked.Count,
            percents.Average(),
            median,
            ranked.Average(unit => unit.Result.TotalPoints),
            Figure(ranked[0].Result),
            Figure(ranked[^1].Result),
            bands.OrderByDescending(band => band.MinPercent)
                .Select(band => new BandCount(band.Label, ranked.Count(unit => unit.Result.Band == band.Label)))
                .ToList(),
            fields,
            fields.OrderByDescending(field => field.AveragePercent).ThenBy(field => field.Code).Take(options.FieldHighlights).ToList(),
            fields.OrderBy(field => field.AveragePercent).ThenBy(field => field.Code).Take(options.FieldHighlights).ToList());
    }

    private static UnitFigure Figure(UnitResult result) => new(result.UnitId, result.UnitName, result.IndexPercent);
}
