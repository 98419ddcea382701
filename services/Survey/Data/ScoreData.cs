using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.Survey.Questionnaires;
using ParPlatform.Survey.Scoring;

namespace ParPlatform.Survey.Data;

public sealed record UnitScores(Guid RoundId, Guid UnitId, long Sequence, IReadOnlyList<SubCriterionScore> Items);

/// <summary>Reads of the per-unit aggregates, scored by <see cref="SurveyScoring"/>.</summary>
public sealed class ScoreData(TenantDataSource dataSource, QuestionnaireData questionnaires)
{
    public async Task<IReadOnlyList<UnitScores>> GetAsync(
        string? tenantId, Guid roundId, Guid? unitId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<AggregateRow>(
            $"""
            {AggregateSql} WHERE a.round_id = @roundId AND (@unitId::uuid IS NULL OR a.unit_id = @unitId)
              AND (@tenantId::text IS NULL OR a.tenant_id = @tenantId)
            """, new { roundId, unitId, tenantId })).ToList();
        var sequences = (await connection.QueryAsync<(Guid UnitId, long Sequence)>(
            "SELECT unit_id, sequence FROM unit_sequences WHERE round_id = @roundId", new { roundId })).ToDictionary(s => (roundId, s.UnitId), s => s.Sequence);
        return await ScoreAsync(rows, sequences, cancellationToken);
    }

    /// <summary>Scores of the given units, read inside the caller's (storing) transaction.</summary>
    public async Task<IReadOnlyList<UnitScores>> GetInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid RoundId, Guid UnitId, long Sequence)> units,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<AggregateRow>(
            $"{AggregateSql} JOIN unnest(@rounds, @units) AS t(round_id, unit_id) ON t.round_id = a.round_id AND t.unit_id = a.unit_id",
            new { rounds = units.Select(u => u.RoundId).ToArray(), units = units.Select(u => u.UnitId).ToArray() }, transaction);
        return await ScoreAsync(rows.ToList(), units.ToDictionary(u => (u.RoundId, u.UnitId), u => u.Sequence), cancellationToken);
    }

    private async Task<IReadOnlyList<UnitScores>> ScoreAsync(
        List<AggregateRow> rows, Dictionary<(Guid, Guid), long> sequences, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<Guid, Questionnaire>();
        foreach (var id in rows.Select(row => row.QuestionnaireId).Distinct())
        {
            byId[id] = (await questionnaires.FindAsync(id, cancellationToken))!;
        }
        return rows.GroupBy(row => (row.RoundId, row.UnitId))
            .OrderBy(unit => unit.Key.UnitId)
            .Select(unit => new UnitScores(unit.Key.RoundId, unit.Key.UnitId, sequences.GetValueOrDefault(unit.Key),
                SurveyScoring.Compute(unit, byId)))
            .ToList();
    }

    private const string AggregateSql =
        """
        SELECT a.round_id AS RoundId, a.unit_id AS UnitId, a.questionnaire_id AS QuestionnaireId,
               a.sub_criterion_code AS SubCriterionCode, a.responses AS Responses, a.answers AS Answers, a.score_sum AS ScoreSum
        FROM answer_aggregates a
        """;
}
