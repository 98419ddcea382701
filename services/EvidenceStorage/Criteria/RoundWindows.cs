using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.EvidenceStorage.Criteria;

/// <summary>
/// A round's self-assessment window, as the criteria service sends it (read through the CriteriaClient each time,
/// never cached: windows may move). Once the window closes, by the server clock, the round's evidence is immutable.
/// </summary>
public static class RoundWindows
{
    public static bool IsLocked(Round round, DateTimeOffset now) =>
        round.SelfAssessmentClosesAt is { } closes && now >= closes.ToDateTimeOffset();

    public static ProblemException Locked(Round round) =>
        EvidenceProblems.RoundLocked.With(
            $"The self-assessment of round {round.Id} closed at {round.SelfAssessmentClosesAt.ToDateTimeOffset():u}; its evidence can no longer change.").ToException();
}
