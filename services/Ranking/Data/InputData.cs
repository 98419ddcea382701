using Dapper;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Data;

/// <summary>The appraised and survey scores received for each unit: only a newer revision / sequence replaces them.</summary>
internal static class InputData
{
    /// <returns>true when the appraisal was stored, false when an equal or newer revision is already held.</returns>
    public static async Task<bool> SaveAppraisalAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AppraisalFinalized message, DateTimeOffset now)
    {
        var scores = RankingJson.Write(message.Items.ToDictionary(item => item.SubCriterionCode, item => item.AppraisedScore));
        return await connection.ExecuteAsync(
            """
            INSERT INTO appraisal_inputs (round_id, unit_id, tenant_id, assessment_id, revision, finalized_at, scores, received_at)
            VALUES (@RoundId, @UnitId, @TenantId, @AssessmentId, @Revision, @FinalizedAt, @scores::jsonb, @now)
            ON CONFLICT (round_id, unit_id) DO UPDATE SET
                assessment_id = excluded.assessment_id, revision = excluded.revision, finalized_at = excluded.finalized_at,
                scores = excluded.scores, received_at = excluded.received_at
            WHERE appraisal_inputs.revision < excluded.revision
            """,
            new { message.RoundId, message.UnitId, message.TenantId, message.AssessmentId, message.Revision, FinalizedAt = message.FinalizedAt.ToUniversalTime(), scores, now },
            transaction) == 1;
    }

    /// <returns>true when the figures were stored, false when an equal or newer sequence is already held.</returns>
    public static async Task<bool> SaveSurveyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SurveyScoresUpdated message, DateTimeOffset now)
    {
        var scores = RankingJson.Write(message.Items.ToDictionary(
            item => item.SubCriterionCode, item => new SurveyPoints(item.Points, item.MaxPoints)));
        return await connection.ExecuteAsync(
            """
            INSERT INTO survey_inputs (round_id, unit_id, tenant_id, sequence, computed_at, scores, received_at)
            VALUES (@RoundId, @UnitId, @TenantId, @Sequence, @ComputedAt, @scores::jsonb, @now)
            ON CONFLICT (round_id, unit_id) DO UPDATE SET
                sequence = excluded.sequence, computed_at = excluded.computed_at, scores = excluded.scores,
                received_at = excluded.received_at
            WHERE survey_inputs.sequence < excluded.sequence
            """,
            new { message.RoundId, message.UnitId, message.TenantId, message.Sequence, ComputedAt = message.ComputedAt.ToUniversalTime(), scores, now },
            transaction) == 1;
    }

    public static async Task<(Dictionary<string, decimal> Appraised, Dictionary<string, SurveyPoints> Survey)> LoadUnitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, Guid unitId)
    {
        var row = await connection.QuerySingleAsync<(string? Appraised, string? Survey)>(
            """
            SELECT (SELECT scores::text FROM appraisal_inputs WHERE round_id = @roundId AND unit_id = @unitId),
                   (SELECT scores::text FROM survey_inputs WHERE round_id = @roundId AND unit_id = @unitId)
            """, new { roundId, unitId }, transaction);
        return (row.Appraised is null ? [] : RankingJson.Read<Dictionary<string, decimal>>(row.Appraised),
            row.Survey is null ? [] : RankingJson.Read<Dictionary<string, SurveyPoints>>(row.Survey));
    }

    /// <summary>Which inputs each unit of the round (or just <paramref name="unitIds"/>) has received (units with none are absent).</summary>
    public static async Task<IReadOnlyDictionary<Guid, UnitInputsReceived>> LoadReceivedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid roundId, IReadOnlyCollection<Guid>? unitIds = null)
    {
        var only = unitIds is null ? "" : " AND unit_id = ANY(@unitIds)";
        var rows = await connection.QueryAsync<(Guid UnitId, bool Appraisal, bool Survey)>(
            $$"""
            SELECT coalesce(a.unit_id, s.unit_id), a.unit_id IS NOT NULL, s.unit_id IS NOT NULL
            FROM (SELECT unit_id FROM appraisal_inputs WHERE round_id = @roundId{{only}}) a
            FULL JOIN (SELECT unit_id FROM survey_inputs WHERE round_id = @roundId{{only}}) s ON s.unit_id = a.unit_id
            """, new { roundId, unitIds = unitIds?.ToArray() }, transaction);
        return rows.ToDictionary(row => row.UnitId, row => new UnitInputsReceived(row.Appraisal, row.Survey));
    }

    /// <summary>Serialises changes to one unit's inputs and result, so an appraisal and a survey update never race.</summary>
    public static Task LockUnitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, Guid unitId) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
            new { key = $"{roundId}/{unitId}" }, transaction);
}
