namespace ParPlatform.Criteria.Model;

/// <summary>
/// "Không áp dụng": a unit is scored out of its own applicable maximum (Thanh Hóa 2023: 68.32 points shown as
/// 81.33%, i.e. of 84), never out of a fixed 100.
/// </summary>
public static class Applicability
{
    public static decimal ApplicableMaximum(CriteriaSetDefinition set, IReadOnlyCollection<string> notApplicableCodes)
    {
        var excluded = new HashSet<string>(notApplicableCodes);
        // An item inside an excluded parent is already gone with it: count each excluded branch once.
        var dropped = Tree.Flatten(set.Fields)
            .Where(node => !node.IsBonus && !node.IsPenalty && excluded.Contains(node.Code) && !HasExcludedAncestor(node.Code, excluded))
            .Sum(node => node.MaxPoints ?? 0);
        return set.MaxPoints - dropped;
    }

    public static IReadOnlyList<string> UnknownCodes(CriteriaSetDefinition set, IEnumerable<string> codes)
    {
        var known = Tree.Flatten(set.Fields).Select(node => node.Code).ToHashSet();
        return codes.Where(code => !known.Contains(code)).ToList();
    }

    private static bool HasExcludedAncestor(string code, HashSet<string> excluded)
    {
        for (var parent = Tree.ParentCode(code); parent is not null; parent = Tree.ParentCode(parent))
        {
            if (excluded.Contains(parent)) return true;
        }
        return false;
    }
}
