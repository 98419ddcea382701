using Npgsql;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.Submission.Criteria;
using ParPlatform.Submission.Data;
using ParPlatform.Submission.Evidence;

namespace ParPlatform.Submission.Apis;

/// <summary>
/// The assessment's state checks and changes that the unit's side (<see cref="SelfAssessmentApi"/>), the appraiser's
/// side (<see cref="AppraisalApi"/>) and the Excel import (<see cref="SheetApi"/>) share: each rule once, each refusal
/// thrown inside the caller's transaction (see <see cref="SubmissionProblems"/>).
/// </summary>
internal static class AssessmentWorkflow
{
    /// <summary>The unit's change to one item, with every rule; shared by the API and the Excel import.</summary>
    public static async Task ApplyItemUpdateAsync(AssessmentSession session, ParPlatform.Contracts.Criteria.V1.Round round,
        AssessmentItem item, ItemUpdate update, EvidenceVerifier evidence)
    {
        var assessment = session.Assessment;
        var evidenceIds = (update.EvidenceIds ?? []).Distinct().ToArray();
        if (assessment.Status == AssessmentStatus.Draft)
        {
            Access.EnsureSelfAssessmentOpen(round, session.Now);
        }
        else if (assessment.Status == AssessmentStatus.UnderAppraisal)
        {
            // Supplementary evidence: only on items the appraiser asked about, until their due date, and the score stays.
            if (item.SupplementaryDueAt is null || session.Now >= item.SupplementaryDueAt)
            {
                throw SubmissionProblems.SupplementaryNotOpen.With($"Item {item.Code} has no open request for supplementary evidence.").ToException();
            }
            if (update.SelfScore != item.SelfScore)
            {
                throw SubmissionProblems.ScoreLocked.With("During appraisal only evidence and explanations may be added.").ToException();
            }
        }
        else
        {
            throw SubmissionProblems.WrongStatus(assessment.Status, "edit items of");
        }
        if (update.SelfScore is { } score)
        {
            ScoreRules.EnsureValid(item, score, assessment.ScoreStep);
            if (item.Kind != Criteria.ItemKind.Regular)
            {
                ScoreRules.EnsureWithinCap(assessment, await session.ItemsAsync(), item, score, other => other.SelfScore);
            }
        }
        await evidence.EnsureBelongsAsync(assessment, evidenceIds);

        // Compared and set against the version read in this transaction: a write in between is refused, never overwritten.
        if (await AssessmentData.UpdateSelfAsync(session.Connection, session.Transaction, assessment.Id, item.Code, item.Version,
                update.SelfScore, update.Explanation, evidenceIds, session.Caller.UserId, session.Now) is null)
        {
            throw await ChangedAsync(session, item.Code);
        }
        await AuditChangeAsync(session, item.Code, "selfScore", AssessmentFigures.Text(item.SelfScore, assessment.PointDecimals),
            AssessmentFigures.Text(update.SelfScore, assessment.PointDecimals));
        await AuditChangeAsync(session, item.Code, "explanation", item.Explanation, update.Explanation);
        await AuditChangeAsync(session, item.Code, "evidenceIds", string.Join(' ', item.EvidenceIds), string.Join(' ', evidenceIds));
    }

    /// <summary>The refusal of a write that found the item at another version than it read: with the item as it is now.</summary>
    public static async Task<ParPlatform.ServiceDefaults.Problems.ProblemException> ChangedAsync(AssessmentSession session, string code) =>
        SubmissionProblems.ItemChanged((await session.ItemsAsync()).Single(item => item.Code == code).Shown(session.Assessment.PointDecimals));

    public static void EnsureStatus(AssessmentSession session, string expected, string action)
    {
        if (session.Assessment.Status != expected)
        {
            throw SubmissionProblems.WrongStatus(session.Assessment.Status, action);
        }
    }

    public static async Task<ParPlatform.Contracts.Criteria.V1.Round> RoundAsync(CriteriaClient catalog, Assessment assessment) =>
        await catalog.GetRoundAsync(assessment.RoundId, CancellationToken.None) ?? throw SubmissionProblems.NotFound($"Round {assessment.RoundId}");

    public static Task AuditChangeAsync(AssessmentSession session, string code, string field, string? before, string? after) =>
        (before ?? "") == (after ?? "") ? Task.CompletedTask : session.AuditAsync(code, field, before, after);

    public static async Task<AssessmentView> ViewAsync(NpgsqlConnection connection, Assessment assessment) =>
        new(assessment.Id, assessment.RoundId, assessment.TenantId, assessment.UnitId, assessment.Status,
            assessment.AppraisalRound, assessment.Revision,
            (await AssessmentData.ItemsAsync(connection, assessment.Id)).Select(item => item.Shown(assessment.PointDecimals)).ToList());
}
