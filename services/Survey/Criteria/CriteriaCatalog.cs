using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Caching.Memory;
using ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Survey.Criteria;

/// <summary>A survey-scored item (a leaf criterion or sub-criterion) of a round's criteria set.</summary>
public sealed record SurveySubCriterion(string Code, decimal MaxPoints);

/// <summary>
/// What the survey service needs from the criteria service, over gRPC. Rounds and their units are cached briefly
/// (intake checks them on every response); a published criteria set never changes, so it is kept longer.
/// </summary>
public sealed class CriteriaCatalog(CriteriaService.CriteriaServiceClient client, IMemoryCache cache)
{
    private static readonly TimeSpan RoundTtl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PublishedSetTtl = TimeSpan.FromHours(1);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public async Task<Round?> GetRoundAsync(Guid roundId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(("round", roundId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = RoundTtl;
            return await NullIfNotFound(client.GetRoundAsync(
                new GetRoundRequest { RoundId = roundId.ToString() }, deadline: Deadline(), cancellationToken: cancellationToken));
        });

    public async Task<IReadOnlySet<Guid>> GetRoundUnitsAsync(Guid roundId, CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(("units", roundId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = RoundTtl;
            var reply = await NullIfNotFound(client.ListRoundUnitsAsync(
                new ListRoundUnitsRequest { RoundId = roundId.ToString() }, deadline: Deadline(), cancellationToken: cancellationToken));
            return (IReadOnlySet<Guid>)(reply?.Units.Select(unit => Guid.TryParse(unit.Id, out var id) ? id : Guid.Empty).ToHashSet() ?? []);
        }))!;

    /// <summary>
    /// The survey-scored items of the round's set by code, or null when the round is unknown. A scored item is any
    /// criterion or sub-criterion without children, at any depth (a criterion "1.1" without sub-criteria is one).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SurveySubCriterion>?> GetSurveySubCriteriaAsync(
        Round round, CancellationToken cancellationToken)
    {
        var set = await cache.GetOrCreateAsync(("set", round.CriteriaSetId), async entry =>
        {
            var found = await NullIfNotFound(client.GetCriteriaSetAsync(
                new GetCriteriaSetRequest { SetId = round.CriteriaSetId }, deadline: Deadline(), cancellationToken: cancellationToken));
            entry.AbsoluteExpirationRelativeToNow = found?.Status == SetStatus.Published ? PublishedSetTtl : RoundTtl;
            return found;
        });
        return set is null
            ? null
            : Flatten(set.Fields)
                .Where(IsSurveyScoredLeaf)
                .ToDictionary(node => node.Code, node => new SurveySubCriterion(
                    node.Code, decimal.Parse(node.MaxPoints, NumberStyles.Number, CultureInfo.InvariantCulture)));
    }

    public static bool IsSurveyScoredLeaf(CriteriaNode node) =>
        (node.Kind is NodeKind.Criterion or NodeKind.SubCriterion) && node.Children.Count == 0 && node.Method == ScoringMethod.Survey;

    private static IEnumerable<CriteriaNode> Flatten(IEnumerable<CriteriaNode> nodes) =>
        nodes.SelectMany(node => Flatten(node.Children).Prepend(node));

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    private static async Task<T?> NullIfNotFound<T>(AsyncUnaryCall<T> call) where T : class
    {
        try
        {
            return await call;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
