using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Data;

public sealed record ImportJob(
    Guid QuestionnaireId, string Batch, string Status, int RowsRead, int Accepted, int Duplicates, int Rejected,
    string? Error, DateTime StartedAt, DateTime? FinishedAt);

public sealed record ImportError(int RowNumber, string ResponseId, string Reason, string Detail);

/// <summary>CSV import jobs: progress counters and the row-level error report.</summary>
public sealed class ImportData(TenantDataSource dataSource)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>Starts (or restarts: a re-upload of the batch replaces the previous report) a job.</summary>
    public async Task StartAsync(string tenantId, Guid questionnaireId, string batch, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        var key = new { tenantId, questionnaireId, batch, startedAt };
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM import_errors WHERE tenant_id = @tenantId AND questionnaire_id = @questionnaireId AND batch = @batch", key, transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO import_jobs (tenant_id, questionnaire_id, batch, status, started_at) VALUES (@tenantId, @questionnaireId, @batch, 'running', @startedAt)
            ON CONFLICT (tenant_id, questionnaire_id, batch) DO UPDATE SET status = 'running', rows_read = 0, accepted = 0,
                duplicates = 0, rejected = 0, error = NULL, started_at = excluded.started_at, finished_at = NULL
            """, key, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync();
    }

    /// <summary>Adds one chunk's outcomes to the counters and its rejected rows to the report.</summary>
    public async Task RecordAsync(string tenantId, Guid questionnaireId, string batch, IReadOnlyList<(int Row, ItemResult Result)> chunk)
    {
        // Not the upload's token: the chunk is already accepted, so its counts and errors are written even if the client left.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        var errors = chunk.Where(c => c.Result.Outcome == Outcomes.Rejected).ToList();
        await connection.ExecuteAsync(
            """
            UPDATE import_jobs SET rows_read = rows_read + @rows, accepted = accepted + @accepted, duplicates = duplicates + @duplicates,
                rejected = rejected + @rejected
            WHERE tenant_id = @tenantId AND questionnaire_id = @questionnaireId AND batch = @batch
            """,
            new
            {
                tenantId, questionnaireId, batch, rows = chunk.Count, rejected = errors.Count,
                accepted = chunk.Count(c => c.Result.Outcome == Outcomes.Accepted),
                duplicates = chunk.Count(c => c.Result.Outcome == Outcomes.Duplicate),
            }, transaction);
        if (errors.Count > 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO import_errors (tenant_id, questionnaire_id, batch, row_number, response_id, reason, detail)
                SELECT @tenantId, @questionnaireId, @batch, e.row_number, e.response_id, e.reason, e.detail
                FROM unnest(@rowNumbers, @ids, @reasons, @details) AS e(row_number, response_id, reason, detail)
                ON CONFLICT DO NOTHING
                """,
                new
                {
                    tenantId, questionnaireId, batch, rowNumbers = errors.Select(e => e.Row).ToArray(),
                    ids = errors.Select(e => e.Result.ResponseId ?? "").ToArray(), reasons = errors.Select(e => e.Result.Reason ?? "").ToArray(),
                    details = errors.Select(e => e.Result.Detail ?? "").ToArray(),
                }, transaction);
        }
        await transaction.CommitAsync();
    }

    public async Task FinishAsync(string tenantId, Guid questionnaireId, string batch, string? error, DateTimeOffset finishedAt)
    {
        // Not the upload's token either: a job must not stay "running" because its client went away.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            UPDATE import_jobs SET status = @status, error = @error, finished_at = @finishedAt
            WHERE tenant_id = @tenantId AND questionnaire_id = @questionnaireId AND batch = @batch
            """, new { tenantId, questionnaireId, batch, status = error is null ? Completed : Failed, error, finishedAt });
    }

    public async Task<ImportJob?> FindAsync(string tenantId, Guid questionnaireId, string batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ImportJob>(new CommandDefinition(
            """
            SELECT questionnaire_id AS QuestionnaireId, batch AS Batch, status AS Status, rows_read AS RowsRead, accepted AS Accepted,
                   duplicates AS Duplicates, rejected AS Rejected, error AS Error, started_at AS StartedAt, finished_at AS FinishedAt
            FROM import_jobs WHERE tenant_id = @tenantId AND questionnaire_id = @questionnaireId AND batch = @batch
            """, new { tenantId, questionnaireId, batch }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ImportError>> ErrorsAsync(string tenantId, Guid questionnaireId, string batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ImportError>(new CommandDefinition(
            """
            SELECT row_number AS RowNumber, response_id AS ResponseId, reason AS Reason, detail AS Detail FROM import_errors
            WHERE tenant_id = @tenantId AND questionnaire_id = @questionnaireId AND batch = @batch ORDER BY row_number
            """, new { tenantId, questionnaireId, batch }, cancellationToken: cancellationToken))).ToList();
    }
}
