using Dapper;
using Npgsql;

namespace ParPlatform.Submission.Data;

public sealed record UnitProgressRow(Guid UnitId, Guid AssessmentId, string Status, decimal? ScoreStep, int Items, int Scored, int MissingEvidence);

public sealed record FieldScoreRow(Guid UnitId, string FieldCode, string FieldName, decimal MaxPoints, decimal? SelfScore, decimal? AppraisedScore);

public static class ProgressData
{
    public static async Task<IReadOnlyList<UnitProgressRow>> UnitsAsync(NpgsqlConnection connection, Guid roundId) =>
        (await connection.QueryAsync<UnitProgressRow>(
            """
            SELECT a.unit_id AS UnitId, a.id AS AssessmentId, a.status, a.score_step AS ScoreStep, count(*)::int AS Items,
                   count(i.self_score)::int AS Scored,
                   count(*) FILTER (WHERE i.evidence_required AND NOT (i.kind <> 'regular' AND i.self_score = 0)
                                      AND cardinality(i.evidence_ids) = 0
                                      AND coalesce(btrim(i.explanation), '') = '')::int AS MissingEvidence
            FROM assessments a JOIN assessment_items i ON i.assessment_id = a.id
            WHERE a.round_id = @roundId
            GROUP BY a.unit_id, a.id, a.status, a.score_step
            """, new { roundId })).ToList();

    public static async Task<IReadOnlyList<FieldScoreRow>> FieldsAsync(NpgsqlConnection connection, Guid roundId) =>
        (await connection.QueryAsync<FieldScoreRow>(
            """
            SELECT a.unit_id AS UnitId, i.field_code AS FieldCode, min(i.field_name) AS FieldName, sum(i.max_points) AS MaxPoints,
                   sum(i.self_score) AS SelfScore, sum(coalesce(i.appraised_score_2, i.appraised_score_1)) AS AppraisedScore
            FROM assessments a JOIN assessment_items i ON i.assessment_id = a.id
            WHERE a.round_id = @roundId
            GROUP BY a.unit_id, i.field_code
            ORDER BY a.unit_id, i.field_code
            """, new { roundId })).ToList();
}
