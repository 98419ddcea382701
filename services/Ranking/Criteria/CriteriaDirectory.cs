using System.Collections.Concurrent;
using Grpc.Core;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Criteria;

/// <summary>A unit of a round's group as the ranking needs it.</summary>
public sealed record RoundUnit(Guid UnitId, string Name, IReadOnlySet<string> NotApplicableCodes, string Code = "");

/// <summary>A round with its criteria set and its units: everything the computation needs from the criteria service.</summary>
public sealed record RoundContext(RoundHeader Round, ScoringSet Set, IReadOnlyDictionary<Guid, RoundUnit> Units);

/// <summary>
/// The ranking service's one door to the criteria service (gRPC). Published criteria sets never change, so they are
/// cached by id; rounds, units and lineage are read each time because administrators may still edit them.
/// </summary>
public sealed class CriteriaDirectory(CriteriaService.CriteriaServiceClient client)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, ScoringSet> _publishedSets = new();

    /// <returns>null when the criteria service does not know the round.</returns>
    public async Task<RoundContext?> GetRoundAsync(Guid roundId, CancellationToken cancellationToken)
    {
        try
        {
            var round = await client.GetRoundAsync(new GetRoundRequest { RoundId = roundId.ToString() }, Options(cancellationToken));
            var set = await GetSetAsync(round.CriteriaSetId, cancellationToken);
            var units = await client.ListRoundUnitsAsync(new ListRoundUnitsRequest { RoundId = roundId.ToString() }, Options(cancellationToken));
            return new RoundContext(round.ToHeader(), set, units.Units.ToDictionary(
                unit => Guid.Parse(unit.Id),
                unit => new RoundUnit(Guid.Parse(unit.Id), unit.Name, unit.NotApplicableCodes.ToHashSet(), unit.Code)));
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The units a unit came from (renames, merges, splits); empty when none.</summary>
    public async Task<IReadOnlyList<Predecessor>> GetPredecessorsAsync(Guid unitId, CancellationToken cancellationToken)
    {
        var reply = await client.ResolveLineageAsync(
            new ResolveLineageRequest { UnitId = unitId.ToString(), Direction = LineageDirection.Backward }, Options(cancellationToken));
        return reply.Units.Where(link => link.UnitId != unitId.ToString())
            .Select(link => link.ToPredecessor()).OfType<Predecessor>().ToList();
    }

    private async Task<ScoringSet> GetSetAsync(string setId, CancellationToken cancellationToken)
    {
        if (_publishedSets.TryGetValue(setId, out var cached))
        {
            return cached;
        }
        var set = await client.GetCriteriaSetAsync(new GetCriteriaSetRequest { SetId = setId }, Options(cancellationToken));
        var scoring = set.ToScoringSet();
        if (set.Status == SetStatus.Published)
        {
            _publishedSets[setId] = scoring;
        }
        return scoring;
    }

    private static CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow.Add(Deadline), cancellationToken: cancellationToken);
}
