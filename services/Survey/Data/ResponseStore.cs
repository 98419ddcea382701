using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using ParPlatform.Contracts.Events;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Data;

/// <summary>
/// The workers' write: binary COPY into a staging table, insert what is new by (tenant, response id), add the new
/// rows to the unit aggregates, bump each touched unit's sequence and enqueue one SurveyScoresUpdated per unit —
/// all in one transaction, so a redelivered batch changes nothing and an event exists exactly when its data does.
/// </summary>
public sealed class ResponseStore(TenantDataSource dataSource, ScoreData scores, TimeProvider clock)
{
    /// <returns>How many responses were new.</returns>
    public async Task<int> StoreAsync(IReadOnlyList<(string TenantId, SubmittedResponse Response)> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "CREATE TEMP TABLE staging_responses (LIKE responses INCLUDING DEFAULTS) ON COMMIT DROP", transaction: transaction);
        await CopyAsync(connection, batch, cancellationToken);

        var touched = (await connection.QueryAsync<(string TenantId, Guid RoundId, Guid UnitId, long Stored)>(
            InsertAndAggregateSql, transaction: transaction)).ToList();
        if (touched.Count > 0)
        {
            var sequences = (await connection.QueryAsync<(Guid RoundId, Guid UnitId, long Sequence)>(
                """
                INSERT INTO unit_sequences AS s (round_id, unit_id, tenant_id, sequence)
                SELECT t.round_id, t.unit_id, t.tenant_id, 1 FROM unnest(@rounds, @units, @tenants) AS t(round_id, unit_id, tenant_id)
                ORDER BY t.round_id, t.unit_id
                ON CONFLICT (round_id, unit_id) DO UPDATE SET sequence = s.sequence + 1
                RETURNING round_id, unit_id, sequence
                """,
                new
                {
                    rounds = touched.Select(t => t.RoundId).ToArray(), units = touched.Select(t => t.UnitId).ToArray(),
                    tenants = touched.Select(t => t.TenantId).ToArray(),
                }, transaction)).ToList();
            var tenantOf = touched.ToDictionary(t => (t.RoundId, t.UnitId), t => t.TenantId);
            var computedAt = clock.GetUtcNow();
            foreach (var unit in await scores.GetInTransactionAsync(connection, transaction, sequences, cancellationToken))
            {
                await Outbox.EnqueueAsync(connection, transaction, new SurveyScoresUpdated(
                    unit.RoundId, tenantOf[(unit.RoundId, unit.UnitId)], unit.UnitId, unit.Sequence, computedAt,
                    unit.Items.Select(item => new SurveyItemScore(
                        item.SubCriterionCode, item.Points, item.MaxPoints, (int)item.SampleSize, item.BelowMinimumSample)).ToList()));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (int)touched.Sum(t => t.Stored);
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, IReadOnlyList<(string TenantId, SubmittedResponse Response)> batch, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            """
            COPY staging_responses (tenant_id, response_id, receipt_id, questionnaire_id, round_id, unit_id, respondent_group,
                content_hash, question_codes, answers, sub_criteria, scores, profile, channel, accepted_at) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var (tenantId, r) in batch)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(tenantId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.ResponseId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.ReceiptId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(r.QuestionnaireId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(r.RoundId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(r.UnitId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(r.RespondentGroup, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.ContentHash, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.QuestionCodes, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.Answers, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.SubCriteria, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.Scores, NpgsqlDbType.Array | NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(JsonSerializer.Serialize(r.Profile), NpgsqlDbType.Jsonb, cancellationToken);
            await importer.WriteAsync(r.Channel, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.AcceptedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    // Data-modifying CTEs all run to completion: the insert, then the aggregate upsert over exactly the new rows.
    // Aggregate rows are locked in key order so concurrent workers cannot deadlock.
    private const string InsertAndAggregateSql =
        """
        WITH inserted AS (
            INSERT INTO responses (tenant_id, response_id, receipt_id, questionnaire_id, round_id, unit_id, respondent_group,
                content_hash, question_codes, answers, sub_criteria, scores, profile, channel, accepted_at)
            SELECT DISTINCT ON (tenant_id, response_id) tenant_id, response_id, receipt_id, questionnaire_id, round_id, unit_id,
                respondent_group, content_hash, question_codes, answers, sub_criteria, scores, profile, channel, accepted_at
            FROM staging_responses ORDER BY tenant_id, response_id
            ON CONFLICT (tenant_id, response_id) DO NOTHING
            RETURNING tenant_id, response_id, round_id, unit_id, questionnaire_id, sub_criteria, scores
        ), per_response AS (
            SELECT i.tenant_id, i.round_id, i.unit_id, i.questionnaire_id, s.code, count(*) AS answers, sum(s.score) AS score_sum
            FROM inserted i CROSS JOIN LATERAL unnest(i.sub_criteria, i.scores) AS s(code, score)
            GROUP BY i.tenant_id, i.response_id, i.round_id, i.unit_id, i.questionnaire_id, s.code
        ), upserted AS (
            INSERT INTO answer_aggregates AS a (tenant_id, round_id, unit_id, questionnaire_id, sub_criterion_code, responses, answers, score_sum)
            SELECT tenant_id, round_id, unit_id, questionnaire_id, code, count(*), sum(answers), sum(score_sum)
            FROM per_response GROUP BY tenant_id, round_id, unit_id, questionnaire_id, code
            ORDER BY round_id, unit_id, questionnaire_id, code
            ON CONFLICT (round_id, unit_id, questionnaire_id, sub_criterion_code) DO UPDATE
            SET responses = a.responses + excluded.responses, answers = a.answers + excluded.answers,
                score_sum = a.score_sum + excluded.score_sum
        )
        SELECT tenant_id, round_id, unit_id, count(*) AS stored FROM inserted GROUP BY tenant_id, round_id, unit_id
        ORDER BY round_id, unit_id
        """;
}
