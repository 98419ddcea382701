using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Criteria;

namespace ParPlatform.Survey.Criteria;

/// <summary>A survey-scored item (a leaf criterion or sub-criterion) of a round's criteria set.</summary>
public sealed record SurveySubCriterion(string Code, decimal MaxPoints);

/// <summary>What the survey reads from the criteria service, in its own terms.</summary>
internal static class SurveyCriteria
{
    /// <returns>The ids of the units evaluated in the round; empty when the round is unknown.</returns>
    public static async Task<IReadOnlySet<Guid>> GetRoundUnitsAsync(this CriteriaClient criteria, Guid roundId, CancellationToken cancellationToken) =>
        (await criteria.ListRoundUnitsAsync(roundId, cancellationToken) ?? [])
            .Select(unit => Guid.TryParse(unit.Id, out var id) ? id : Guid.Empty).ToHashSet();

    /// <summary>
    /// The survey-scored items of the round's set by code, or null when the set is unknown. A scored item is any
    /// criterion or sub-criterion without children, at any depth (a criterion "1.1" without sub-criteria is one).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, SurveySubCriterion>?> GetSurveySubCriteriaAsync(
        this CriteriaClient criteria, Round round, CancellationToken cancellationToken) =>
        await criteria.GetCriteriaSetAsync(round.CriteriaSetId, cancellationToken) is { } set
            ? Flatten(set.Fields)
                .Where(IsSurveyScoredLeaf)
                .ToDictionary(node => node.Code, node => new SurveySubCriterion(node.Code, CriteriaClient.ParseDecimal(node.MaxPoints) ?? 0m))
            : null;

    public static bool IsSurveyScoredLeaf(CriteriaNode node) =>
        (node.Kind is NodeKind.Criterion or NodeKind.SubCriterion) && node.Children.Count == 0 && node.Method == ScoringMethod.Survey;

    private static IEnumerable<CriteriaNode> Flatten(IEnumerable<CriteriaNode> nodes) =>
        nodes.SelectMany(node => Flatten(node.Children).Prepend(node));
}
