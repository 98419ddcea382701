namespace ParPlatform.Contracts.Events;

// Events of the assessment cycle. Scores are decimals; ids are the criteria service's UUIDs; sub-criteria are named
// by their code within the round's criteria set. An event exists only while something consumes it (ranking, for all
// three); the state changes nobody listened to (a self-assessment approved, a criteria set published, a round
// scheduled, units' lineage, a ranking published) left with their consumers-to-be: add the record back together with
// its consumer. Ministry systems read publications through the gateway, not the broker.

/// <summary>The appraisal of a unit was finalised: the scores that count (submission service).</summary>
/// <param name="Revision">Increases each time the same assessment is finalised again after a reopening; consumers keep
/// the highest.</param>
[MessageName("par.submission.appraisal-finalized.v1")]
public sealed record AppraisalFinalized(
    Guid AssessmentId, Guid RoundId, string TenantId, Guid UnitId, int Revision, DateTimeOffset FinalizedAt,
    IReadOnlyList<AppraisedItemScore> Items);

public sealed record AppraisedItemScore(string SubCriterionCode, decimal AppraisedScore);

/// <summary>A unit's survey points changed (survey service); coalesced, not one per response.</summary>
/// <param name="Sequence">Monotonic per (round, unit); consumers ignore anything older than what they hold.</param>
[MessageName("par.survey.survey-scores-updated.v1")]
public sealed record SurveyScoresUpdated(
    Guid RoundId, string TenantId, Guid UnitId, long Sequence, DateTimeOffset ComputedAt,
    IReadOnlyList<SurveyItemScore> Items);

/// <param name="SampleSize">Valid responses behind the figure.</param>
/// <param name="BelowMinimumSample">Flag: fewer responses than the method's minimum sample.</param>
public sealed record SurveyItemScore(string SubCriterionCode, decimal Points, decimal MaxPoints, int SampleSize, bool BelowMinimumSample);

/// <summary>
/// A unit's "không áp dụng" marks in a round changed (criteria service): every maximum above those items, and so the
/// unit's index, changes with them, even after its appraisal was finalised.
/// </summary>
/// <param name="NotApplicableCodes">The unit's whole list after the change (fields, criteria or sub-criteria).</param>
[MessageName("par.criteria.round-applicability-changed.v1")]
public sealed record RoundApplicabilityChanged(
    Guid RoundId, string TenantId, Guid UnitId, IReadOnlyList<string> NotApplicableCodes, DateTimeOffset ChangedAt);
