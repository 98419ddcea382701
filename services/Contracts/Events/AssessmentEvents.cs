namespace ParPlatform.Contracts.Events;

// Events of the assessment cycle. Scores are decimals; ids are the criteria service's UUIDs; sub-criteria are named
// by their code within the round's criteria set.

/// <summary>A unit's leader approved its self-assessment (submission service).</summary>
public sealed record SelfAssessmentApproved(
    Guid AssessmentId, Guid RoundId, string TenantId, Guid UnitId, string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>The appraisal of a unit was finalised: the scores that count (submission service).</summary>
/// <param name="Revision">Increases each time the same assessment is finalised again after a reopening; consumers keep
/// the highest.</param>
public sealed record AppraisalFinalized(
    Guid AssessmentId, Guid RoundId, string TenantId, Guid UnitId, int Revision, DateTimeOffset FinalizedAt,
    IReadOnlyList<AppraisedItemScore> Items);

public sealed record AppraisedItemScore(string SubCriterionCode, decimal AppraisedScore);

/// <summary>A unit's survey points changed (survey service); coalesced, not one per response.</summary>
/// <param name="Sequence">Monotonic per (round, unit); consumers ignore anything older than what they hold.</param>
public sealed record SurveyScoresUpdated(
    Guid RoundId, string TenantId, Guid UnitId, long Sequence, DateTimeOffset ComputedAt,
    IReadOnlyList<SurveyItemScore> Items);

/// <param name="SampleSize">Valid responses behind the figure.</param>
/// <param name="BelowMinimumSample">Flag: fewer responses than the method's minimum sample.</param>
public sealed record SurveyItemScore(string SubCriterionCode, decimal Points, decimal MaxPoints, int SampleSize, bool BelowMinimumSample);

/// <summary>A ranking snapshot was frozen and published (ranking service).</summary>
public sealed record RankingPublished(Guid RoundId, string TenantId, string RankingGroup, int SnapshotVersion, DateTimeOffset PublishedAt);

/// <summary>A criteria set was published and is immutable from now on (criteria service).</summary>
public sealed record CriteriaSetPublished(Guid SetId, string TenantId, int Year, string Level, DateTimeOffset PublishedAt);

/// <summary>A round was scheduled or its windows changed (criteria service).</summary>
public sealed record RoundScheduled(Guid RoundId, string TenantId, Guid CriteriaSetId, string RankingGroup, DateTimeOffset ChangedAt);

/// <summary>
/// A unit's "không áp dụng" marks in a round changed (criteria service): every maximum above those items, and so the
/// unit's index, changes with them, even after its appraisal was finalised.
/// </summary>
/// <param name="NotApplicableCodes">The unit's whole list after the change (fields, criteria or sub-criteria).</param>
public sealed record RoundApplicabilityChanged(
    Guid RoundId, string TenantId, Guid UnitId, IReadOnlyList<string> NotApplicableCodes, DateTimeOffset ChangedAt);

/// <summary>Units merged, split or were renamed (criteria service).</summary>
public sealed record UnitLineageChanged(string TenantId, string Event, IReadOnlyList<Guid> FromUnitIds, IReadOnlyList<Guid> ToUnitIds, DateTimeOffset EffectiveAt);
