using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Submission.Criteria;

/// <summary>The criteria service as the submission service needs it: rounds, their units and the set's items.</summary>
public sealed class CriteriaCatalog(CriteriaService.CriteriaServiceClient client)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    // Published sets never change, so they are cached for the life of the process. Rounds are not: their windows
    // may move, and the lock must follow the latest ones.
    private readonly ConcurrentDictionary<string, CriteriaSet> _publishedSets = new();

    public async Task<Round?> FindRoundAsync(Guid roundId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetRoundAsync(new GetRoundRequest { RoundId = roundId.ToString() },
                deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<EvaluatedUnit>> ListUnitsAsync(Guid roundId, CancellationToken cancellationToken = default)
    {
        var reply = await client.ListRoundUnitsAsync(new ListRoundUnitsRequest { RoundId = roundId.ToString() },
            deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
        return reply.Units;
    }

    public async Task<CriteriaSet> GetSetAsync(string setId, CancellationToken cancellationToken = default)
    {
        if (_publishedSets.TryGetValue(setId, out var cached))
        {
            return cached;
        }
        var set = await client.GetCriteriaSetAsync(new GetCriteriaSetRequest { SetId = setId },
            deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
        if (set.Status == SetStatus.Published)
        {
            _publishedSets.TryAdd(setId, set);
        }
        return set;
    }

    /// <summary>
    /// The self-assessed items of a set, less those not applicable to the unit: every appraised criterion or
    /// sub-criterion without children, at any depth (real sets have criteria without sub-criteria, codes "1.1"),
    /// bonus (điểm thưởng) and penalty (điểm trừ) items included.
    /// </summary>
    public static IReadOnlyList<ItemDefinition> AppraisedItems(CriteriaSet set, IReadOnlyCollection<string> notApplicable)
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
                    ParseDecimal(child.MaxPoints) ?? 0m, ParseDecimal(child.MinPoints) ?? 0m, child.EvidenceRequired, kind));
            }
        }
    }

    public static decimal? ParseDecimal(string value) =>
        string.IsNullOrWhiteSpace(value) ? null : decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);
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
