using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.Submission.Criteria;

namespace ParPlatform.Submission.Data;

public static class AssessmentStatus
{
    public const string Draft = "Draft";
    public const string SubmittedForApproval = "SubmittedForApproval";
    public const string Approved = "Approved";
    public const string UnderAppraisal = "UnderAppraisal";
    public const string Finalized = "Finalized";
}

public sealed record Assessment(
    Guid Id, Guid RoundId, string TenantId, Guid UnitId, Guid CriteriaSetId, decimal? ScoreStep, string Status,
    int AppraisalRound, int Revision, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    decimal? BonusCap = null, decimal? PenaltyCap = null)
{
    /// <summary>Decimals every point figure of this assessment is shown with: those of the set's score step (<see cref="Figures"/>).</summary>
    public int PointDecimals => Figures.DecimalsOf(ScoreStep);
}

/// <param name="Version">Incremented by every write to the item; its entity tag (<c>"7"</c>) is what a client sends in If-Match.</param>
public sealed record AssessmentItem(
    string Code, string FieldCode, string FieldName, string Name, string Kind, decimal MaxPoints, decimal MinPoints, bool EvidenceRequired,
    decimal? SelfScore, string? Explanation, Guid[] EvidenceIds, decimal? AppraisedScore1, decimal? AppraisedScore2,
    string? AppraiserComment, DateTimeOffset? SupplementaryDueAt, string? SupplementaryNote, string? UpdatedBy, DateTimeOffset? UpdatedAt,
    int Version)
{
    /// <summary>The score that counts: the latest appraisal round's, else the self score the appraiser accepted.</summary>
    public decimal? AppraisedScore => AppraisedScore2 ?? AppraisedScore1;

    // A bonus or penalty item scored 0 claims nothing, so there is nothing to prove.
    public bool LacksEvidence => EvidenceRequired && !(Kind != ItemKind.Regular && SelfScore == 0)
        && EvidenceIds.Length == 0 && string.IsNullOrWhiteSpace(Explanation);

    /// <summary>Every value an appraiser gave this item, oldest first: per finalisation cycle and appraisal round.</summary>
    public IReadOnlyList<AppraisalValue> Appraisals { get; init; } = [];
}

/// <param name="Revision">The assessment's revision when the value was given (0 before the first finalisation).</param>
public sealed record AppraisalValue(int Revision, int AppraisalRound, decimal Score, string? Comment, string UserId, string UserName, DateTimeOffset At);

public sealed record AuditEntry(
    long Id, DateTimeOffset At, string UserId, string UserName, string Role, string? ItemCode, string Field, string? Before, string? After, string? Reason);

public static class AssessmentData
{
    private const string AssessmentColumns =
        """
        id, round_id AS RoundId, tenant_id AS TenantId, unit_id AS UnitId, criteria_set_id AS CriteriaSetId,
        score_step AS ScoreStep, status, appraisal_round AS AppraisalRound, revision, created_at AS CreatedAt, updated_at AS UpdatedAt,
        bonus_cap AS BonusCap, penalty_cap AS PenaltyCap
        """;

    public static Task<Assessment?> FindAsync(NpgsqlConnection connection, Guid roundId, Guid unitId, NpgsqlTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<Assessment>(
            $"SELECT {AssessmentColumns} FROM assessments WHERE round_id = @roundId AND unit_id = @unitId", new { roundId, unitId }, transaction);

    public static Task<Assessment?> GetAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction = null, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<Assessment>(
            $"SELECT {AssessmentColumns} FROM assessments WHERE id = @id {(forUpdate ? "FOR UPDATE" : "")}", new { id }, transaction);

    public static async Task<IReadOnlyList<AssessmentItem>> ItemsAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction = null)
    {
        var items = await connection.QueryAsync<AssessmentItem>(
            """
            SELECT code, field_code AS FieldCode, field_name AS FieldName, name, kind, max_points AS MaxPoints, min_points AS MinPoints,
                   evidence_required AS EvidenceRequired, self_score AS SelfScore, explanation, evidence_ids AS EvidenceIds,
                   appraised_score_1 AS AppraisedScore1, appraised_score_2 AS AppraisedScore2, appraiser_comment AS AppraiserComment,
                   supplementary_due_at AS SupplementaryDueAt, supplementary_note AS SupplementaryNote,
                   updated_by AS UpdatedBy, updated_at AS UpdatedAt, version
            FROM assessment_items WHERE assessment_id = @id ORDER BY ordinal
            """, new { id }, transaction);
        var history = (await connection.QueryAsync<(string Code, int Revision, int AppraisalRound, decimal Score, string? Comment, string UserId, string UserName, DateTimeOffset At)>(
            """
            SELECT code, revision, appraisal_round, score, comment, user_id, coalesce(user_name, user_id), at
            FROM appraisal_history WHERE assessment_id = @id ORDER BY id
            """, new { id }, transaction))
            .ToLookup(row => row.Code, row => new AppraisalValue(row.Revision, row.AppraisalRound, row.Score, row.Comment, row.UserId, row.UserName, row.At));
        return items.Select(item => history.Contains(item.Code) ? item with { Appraisals = history[item.Code].ToList() } : item).ToList();
    }

    /// <returns>false when the unit's assessment for the round already exists (two officials starting at once).</returns>
    public static async Task<bool> CreateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Assessment assessment, IReadOnlyList<ItemDefinition> items)
    {
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO assessments (id, round_id, tenant_id, unit_id, criteria_set_id, score_step, status, created_at, updated_at, bonus_cap, penalty_cap)
            VALUES (@Id, @RoundId, @TenantId, @UnitId, @CriteriaSetId, @ScoreStep, @Status, @CreatedAt, @UpdatedAt, @BonusCap, @PenaltyCap)
            ON CONFLICT (round_id, unit_id) DO NOTHING
            """, assessment, transaction);
        if (inserted == 0)
        {
            return false;
        }
        // One round trip for all items (unnest), not one per row.
        await connection.ExecuteAsync(
            """
            INSERT INTO assessment_items (assessment_id, code, ordinal, field_code, field_name, name, kind, max_points, min_points, evidence_required)
            SELECT @id, code, ordinal, field_code, field_name, name, kind, max_points, min_points, evidence_required
            FROM unnest(@codes, @ordinals, @fieldCodes, @fieldNames, @names, @kinds, @maxima, @minima, @evidence)
                AS item (code, ordinal, field_code, field_name, name, kind, max_points, min_points, evidence_required)
            """,
            new
            {
                id = assessment.Id,
                codes = items.Select(item => item.Code).ToArray(),
                ordinals = Enumerable.Range(1, items.Count).ToArray(),
                fieldCodes = items.Select(item => item.FieldCode).ToArray(),
                fieldNames = items.Select(item => item.FieldName).ToArray(),
                names = items.Select(item => item.Name).ToArray(),
                kinds = items.Select(item => item.Kind).ToArray(),
                maxima = items.Select(item => item.MaxPoints).ToArray(),
                minima = items.Select(item => item.MinPoints).ToArray(),
                evidence = items.Select(item => item.EvidenceRequired).ToArray(),
            }, transaction);
        return true;
    }

    // Every write to an item increments its version, compared and set in the same UPDATE: with expectedVersion (the
    // version the caller read), a write of someone else in between leaves the row alone and the caller gets null.
    // Null expectedVersion: no check (the demo seeder, on items it has just created).

    /// <returns>The item's new version; null when it is no longer at <paramref name="expectedVersion"/>.</returns>
    public static Task<int?> UpdateSelfAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string code,
        int? expectedVersion, decimal? selfScore, string? explanation, Guid[] evidenceIds, string user, DateTimeOffset at) =>
        connection.QuerySingleOrDefaultAsync<int?>(
            """
            UPDATE assessment_items SET self_score = @selfScore, explanation = @explanation, evidence_ids = @evidenceIds,
                updated_by = @user, updated_at = @at, version = version + 1
            WHERE assessment_id = @id AND code = @code AND (@expectedVersion::int IS NULL OR version = @expectedVersion)
            RETURNING version
            """, new { id, code, expectedVersion, selfScore, explanation, evidenceIds, user, at }, transaction);

    /// <summary>The round's current value on the item, and the same value appended to the item's appraisal history.</summary>
    /// <returns>The item's new version; null when it is no longer at <paramref name="expectedVersion"/> (nothing written).</returns>
    public static async Task<int?> UpdateAppraisalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string code,
        int? expectedVersion, int revision, int appraisalRound, decimal score, string? comment, string user, string userName, DateTimeOffset at)
    {
        var version = await connection.QuerySingleOrDefaultAsync<int?>(
            $"""
            UPDATE assessment_items SET appraised_score_{(appraisalRound == 1 ? 1 : 2)} = @score, appraiser_comment = @comment,
                updated_by = @user, updated_at = @at, version = version + 1
            WHERE assessment_id = @id AND code = @code AND (@expectedVersion::int IS NULL OR version = @expectedVersion)
            RETURNING version
            """, new { id, code, expectedVersion, score, comment, user, at }, transaction);
        if (version is null)
        {
            return null;
        }
        await connection.ExecuteAsync(
            """
            INSERT INTO appraisal_history (assessment_id, code, revision, appraisal_round, score, comment, user_id, user_name, at)
            VALUES (@id, @code, @revision, @appraisalRound, @score, @comment, @user, @userName, @at)
            """, new { id, code, revision, appraisalRound, score, comment, user, userName, at }, transaction);
        return version;
    }

    /// <summary>Opens (or, with a due date of now, closes) requests for supplementary evidence: a write to each item named.</summary>
    public static Task RequestSupplementaryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        string[] codes, DateTimeOffset dueAt, string? note, string user, DateTimeOffset at) =>
        connection.ExecuteAsync(
            """
            UPDATE assessment_items SET supplementary_due_at = @dueAt, supplementary_note = @note,
                updated_by = @user, updated_at = @at, version = version + 1
            WHERE assessment_id = @id AND code = ANY(@codes)
            """, new { id, codes, dueAt, note, user, at }, transaction);

    public static Task UpdateAssessmentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Assessment assessment) =>
        connection.ExecuteAsync(
            """
            UPDATE assessments SET status = @Status, appraisal_round = @AppraisalRound, revision = @Revision, updated_at = @UpdatedAt
            WHERE id = @Id
            """, assessment, transaction);

    public static Task AppendAuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid assessmentId, AuditEntry entry) =>
        connection.ExecuteAsync(
            """
            INSERT INTO audit_log (assessment_id, at, user_id, user_name, role, item_code, field, before, after, reason)
            VALUES (@assessmentId, @At, @UserId, @UserName, @Role, @ItemCode, @Field, @Before, @After, @Reason)
            """, new { assessmentId, entry.At, entry.UserId, entry.UserName, entry.Role, entry.ItemCode, entry.Field, entry.Before, entry.After, entry.Reason },
            transaction);

    /// <param name="itemCode">Only this item's entries (its history: who, when, before and after); null for all.</param>
    public static async Task<IReadOnlyList<AuditEntry>> AuditLogAsync(NpgsqlConnection connection, Guid assessmentId, string? itemCode = null) =>
        (await connection.QueryAsync<AuditEntry>(
            """
            SELECT id, at, user_id AS UserId, coalesce(user_name, user_id) AS UserName, role, item_code AS ItemCode, field, before, after, reason
            FROM audit_log WHERE assessment_id = @assessmentId AND (@itemCode::text IS NULL OR item_code = @itemCode) ORDER BY id
            """, new { assessmentId, itemCode })).ToList();
}
