using Grpc.Core;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.EvidenceStorage.Criteria;

/// <summary>
/// A round's self-assessment window, from the criteria service (not cached: windows may move). Once the window
/// closes, by the server clock, the round's evidence is immutable.
/// </summary>
public sealed class RoundWindows(CriteriaService.CriteriaServiceClient client, TimeProvider clock)
{
    public async Task<Round?> FindAsync(Guid roundId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetRoundAsync(new GetRoundRequest { RoundId = roundId.ToString() },
                deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public bool IsLocked(Round round) =>
        round.SelfAssessmentClosesAt is { } closes && clock.GetUtcNow() >= closes.ToDateTimeOffset();

    public async Task EnsureWritableAsync(Guid roundId, CancellationToken cancellationToken = default)
    {
        var round = await FindAsync(roundId, cancellationToken) ?? throw EvidenceProblems.NotFound($"Round {roundId}");
        if (IsLocked(round))
        {
            throw Locked(round);
        }
    }

    public static ProblemException Locked(Round round) =>
        EvidenceProblems.RoundLocked.With(
            $"The self-assessment of round {round.Id} closed at {round.SelfAssessmentClosesAt.ToDateTimeOffset():u}; its evidence can no longer change.").ToException();
}
