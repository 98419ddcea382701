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
        // One pass over the units (a live table of 3,321 communes is rebuilt on every change): each percentage is a
        // decimal division, so each is taken once.
        var percents = new decimal[ranked.Count];
        decimal percentSum = 0, pointsSum = 0;
        var bandCounts = bands.Select(band => band.Label).Distinct().ToDictionary(label => label, _ => 0);
        var fieldOrder = new List<string>();
        var fieldSums = new Dictionary<string, (string Name, decimal Sum, int Count)>();
        for (var i = 0; i < ranked.Count; i++)
        {
            var result = ranked[i].Result;
            var percent = result.IndexPercent;
            percents[i] = percent;
            percentSum += percent;
            pointsSum += result.TotalPoints;
            if (result.Band is { } band && bandCounts.TryGetValue(band, out var count))
            {
                bandCounts[band] = count + 1;
            }
            foreach (var field in result.Nodes)
            {
                if (field.Level != 0 || field.Kind != ItemKind.Regular || !field.Applicable || field.MaxPoints <= 0)
                {
                    continue;
                }
                if (fieldSums.TryGetValue(field.Code, out var sum))
                {
                    fieldSums[field.Code] = (sum.Name, sum.Sum + field.Percent, sum.Count + 1);
                }
                else
                {
                    fieldOrder.Add(field.Code);
                    fieldSums[field.Code] = (field.Name, field.Percent, 1);
                }
            }
        }
        Array.Sort(percents);
        var middle = percents.Length / 2;
        var median = percents.Length % 2 == 1 ? percents[middle] : (percents[middle - 1] + percents[middle]) / 2;
        var fields = fieldOrder.Select(code => new FieldAverage(code, fieldSums[code].Name, fieldSums[code].Sum / fieldSums[code].Count)).ToList();

        return new GroupStatistics(
            ranked.Count,
            percentSum / ranked.Count,
            median,
            pointsSum / ranked.Count,
            Figure(ranked[0].Result),
            Figure(ranked[^1].Result),
            bands.OrderByDescending(band => band.MinPercent).Select(band => new BandCount(band.Label, bandCounts[band.Label])).ToList(),
            fields,
            fields.OrderByDescending(field => field.AveragePercent).ThenBy(field => field.Code).Take(options.FieldHighlights).ToList(),
            fields.OrderBy(field => field.AveragePercent).ThenBy(field => field.Code).Take(options.FieldHighlights).ToList());
    }

    private static UnitFigure Figure(UnitResult result) => new(result.UnitId, result.UnitName, result.IndexPercent);
}
