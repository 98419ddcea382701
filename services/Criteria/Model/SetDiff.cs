namespace ParPlatform.Criteria.Model;

/// <summary>What changed between two sets, matched by node code: what officials read when a new year's set arrives.</summary>
public sealed record SetDiff(
    Guid FromSetId,
    Guid ToSetId,
    IReadOnlyList<DiffItem> Added,
    IReadOnlyList<DiffItem> Removed,
    IReadOnlyList<Reweighted> Reweighted,
    IReadOnlyList<Changed> Renamed,
    IReadOnlyList<Changed> MethodChanged)
{
    public static SetDiff Between(CriteriaSet from, CriteriaSet to)
    {
        var before = Tree.Flatten(from.Definition.Fields).ToDictionary(node => node.Code);
        var after = Tree.Flatten(to.Definition.Fields).ToDictionary(node => node.Code);
        var common = after.Keys.Where(before.ContainsKey).Select(code => (Old: before[code], New: after[code])).ToList();
        return new SetDiff(
            from.Id,
            to.Id,
            after.Values.Where(node => !before.ContainsKey(node.Code)).Select(DiffItem.Of).ToList(),
            before.Values.Where(node => !after.ContainsKey(node.Code)).Select(DiffItem.Of).ToList(),
            common.Where(pair => pair.Old.MaxPoints != pair.New.MaxPoints || pair.Old.MinPoints != pair.New.MinPoints)
                .Select(pair => new Reweighted(pair.New.Code, pair.New.Name, pair.Old.MaxPoints, pair.New.MaxPoints, pair.Old.MinPoints, pair.New.MinPoints))
                .ToList(),
            common.Where(pair => pair.Old.Name != pair.New.Name)
                .Select(pair => new Changed(pair.New.Code, pair.Old.Name, pair.New.Name)).ToList(),
            common.Where(pair => pair.Old.Method != pair.New.Method)
                .Select(pair => new Changed(pair.New.Code, pair.Old.Method?.ToString(), pair.New.Method?.ToString())).ToList());
    }
}

public sealed record DiffItem(string Code, string Name, decimal? MaxPoints)
{
    public static DiffItem Of(CriteriaNode node) => new(node.Code, node.Name, node.MaxPoints);
}

public sealed record Reweighted(string Code, string Name, decimal? FromMaxPoints, decimal? ToMaxPoints, decimal FromMinPoints, decimal ToMinPoints);

public sealed record Changed(string Code, string? From, string? To);
