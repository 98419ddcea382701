using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Criteria;

namespace ParPlatform.Submission.Criteria;

/// <summary>What a unit self-assesses in a criteria set: its items, read from the set the criteria service sends.</summary>
public static class AppraisedItems
{
    /// <summary>
    /// The self-assessed items of a set, less those not applicable to the unit: every appraised criterion or
    /// sub-criterion without children, at any depth (real sets have criteria without sub-criteria, codes "1.1"),
    /// bonus (điểm thưởng) and penalty (điểm trừ) items included.
    /// </summary>
    public static IReadOnlyList<ItemDefinition> Of(CriteriaSet set, IReadOnlyCollection<string> notApplicable)
    {
        var items = new List<ItemDefinition>();
        foreach (var field in set.Fields.Where(field => !notApplicable.Contains(field.Code)))
        {
            Collect(field, field, items, notApplicable);
        }
        return items;
    }

    private static void Collect(CriteriaNode field, CriteriaNode node, List<ItemDefinition> items, IReadOnlyCollection<string> notApplicable)
    {
        foreach (var child in node.Children.Where(child => !notApplicable.Contains(child.Code)))
        {
            if (child.Children.Count > 0)
            {
                Collect(field, child, items, notApplicable);
            }
            else if (child.Kind is NodeKind.Criterion or NodeKind.SubCriterion && child.Method == ScoringMethod.Appraised)
            {
                var kind = child.IsBonus ? ItemKind.Bonus : child.IsPenalty ? ItemKind.Penalty : ItemKind.Regular;
                items.Add(new ItemDefinition(child.Code, field.Code, field.Name, child.Name,
                    CriteriaClient.ParseDecimal(child.MaxPoints) ?? 0m, CriteriaClient.ParseDecimal(child.MinPoints) ?? 0m, child.EvidenceRequired, kind));
            }
        }
    }
}

public sealed record ItemDefinition(
    string Code, string FieldCode, string FieldName, string Name, decimal MaxPoints, decimal MinPoints, bool EvidenceRequired, string Kind);

/// <summary>
/// What an item counts towards. A bonus adds points outside the maximum; a penalty is entered as a deduction, a
/// negative number between the item's minimum (its limit) and 0. The set's bonus cap bounds the sum of bonus items,
/// its penalty cap (a magnitude) the sum of the deductions.
/// </summary>
public static class ItemKind
{
    public const string Regular = "regular";
    public const string Bonus = "bonus";
    public const string Penalty = "penalty";
}
