using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Criteria;

namespace ParPlatform.Ranking.Criteria;

/// <summary>A unit of a round's group as the ranking needs it.</summary>
public sealed record RoundUnit(Guid UnitId, string Name, IReadOnlySet<string> NotApplicableCodes, string Code = "");

/// <summary>A round with its criteria set and its units: everything the computation needs from the criteria service.</summary>
public sealed record RoundContext(RoundHeader Round, ScoringSet Set, IReadOnlyDictionary<Guid, RoundUnit> Units);

/// <summary>
/// What the ranking reads from the criteria service, in the computation's terms. The round and its units are read
/// each time (administrators may still edit them, and a recompute follows the event that says so); the published
/// set comes from the client's cache.
/// </summary>
internal static class RankingCriteria
{
    /// <returns>null when the criteria service does not know the round (or its set).</returns>
    public static async Task<RoundContext?> GetRoundContextAsync(this CriteriaClient criteria, Guid roundId, CancellationToken cancellationToken)
    {
        if (await criteria.GetRoundAsync(roundId, cancellationToken) is not { } round
            || await criteria.GetCriteriaSetAsync(round.CriteriaSetId, cancellationToken) is not { } set
            || await criteria.ListRoundUnitsAsync(round, cancellationToken) is not { } units)
        {
            return null;
        }
        return new RoundContext(round.ToHeader(), set.ToScoringSet(), units.ToDictionary(
            unit => Guid.Parse(unit.Id),
            unit => new RoundUnit(Guid.Parse(unit.Id), unit.Name, unit.NotApplicableCodes.ToHashSet(), unit.Code)));
    }

    /// <summary>The units a unit came from (renames, merges, splits); empty when none.</summary>
    public static async Task<IReadOnlyList<Predecessor>> GetPredecessorsAsync(this CriteriaClient criteria, Guid unitId, CancellationToken cancellationToken) =>
        (await criteria.ResolveLineageAsync(unitId, LineageDirection.Backward, cancellationToken) ?? [])
            .Where(link => link.UnitId != unitId.ToString())
            .Select(link => link.ToPredecessor()).OfType<Predecessor>().ToList();
}
