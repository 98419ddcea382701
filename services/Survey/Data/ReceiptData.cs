using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Data;

public sealed record StoredReceipt(
    string ResponseId, string ContentHash, Guid ReceiptId, Guid QuestionnaireId, Guid UnitId, string Channel,
    DateTime AcceptedAtUtc, bool Stored)
{
    public DateTimeOffset AcceptedAt => new(AcceptedAtUtc, TimeSpan.Zero);
}

/// <summary>The idempotency table: claims of (tenant, response id) and the receipts handed out for them.</summary>
public sealed class ReceiptData(TenantDataSource dataSource)
{
    /// <summary>
    /// Inserts the claims in an open transaction (INSERT ... ON CONFLICT DO NOTHING). Rows another request holds
    /// uncommitted make this wait until that request commits (then they are existing) or rolls back (then ours).
    /// </summary>
    public async Task<Claim> BeginClaimAsync(string tenantId, IReadOnlyList<SubmittedResponse> responses, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var claimed = (await connection.QueryAsync<string>(
                """
                INSERT INTO intake_receipts (tenant_id, response_id, content_hash, receipt_id, questionnaire_id, unit_id, channel, accepted_at)
                SELECT @tenantId, r.id, r.hash, r.receipt, r.questionnaire, r.unit, @channel, @acceptedAt
                FROM unnest(@ids, @hashes, @receipts, @questionnaires, @units) AS r(id, hash, receipt, questionnaire, unit)
                ON CONFLICT (tenant_id, response_id) DO NOTHING
                RETURNING response_id
                """,
                new
                {
                    tenantId, channel = responses[0].Channel, acceptedAt = responses[0].AcceptedAt,
                    ids = responses.Select(r => r.ResponseId).ToArray(), hashes = responses.Select(r => r.ContentHash).ToArray(),
                    receipts = responses.Select(r => r.ReceiptId).ToArray(),
                    questionnaires = responses.Select(r => r.QuestionnaireId).ToArray(), units = responses.Select(r => r.UnitId).ToArray(),
                }, transaction)).ToHashSet(StringComparer.Ordinal);
            var others = responses.Select(r => r.ResponseId).Where(id => !claimed.Contains(id)).ToArray();
            var existing = others.Length == 0
                ? new Dictionary<string, StoredReceipt>()
                : (await connection.QueryAsync<StoredReceipt>($"{SelectSql} WHERE r.tenant_id = @tenantId AND r.response_id = ANY(@others)",
                    new { tenantId, others }, transaction)).ToDictionary(r => r.ResponseId, StringComparer.Ordinal);
            return new Claim(connection, transaction, claimed, existing);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<StoredReceipt?> FindAsync(string tenantId, string responseId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredReceipt>(
            $"{SelectSql} WHERE r.tenant_id = @tenantId AND r.response_id = @responseId", new { tenantId, responseId });
    }

    private const string SelectSql =
        """
        SELECT r.response_id AS ResponseId, r.content_hash AS ContentHash, r.receipt_id AS ReceiptId,
               r.questionnaire_id AS QuestionnaireId, r.unit_id AS UnitId, r.channel AS Channel, r.accepted_at AS AcceptedAtUtc,
               EXISTS (SELECT 1 FROM responses s WHERE s.tenant_id = r.tenant_id AND s.response_id = r.response_id) AS Stored
        FROM intake_receipts r
        """;

    /// <summary>An open claim: commit once the claimed responses are confirmed by the broker; dispose to give them up.</summary>
    public sealed class Claim(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlySet<string> claimedIds,
        IReadOnlyDictionary<string, StoredReceipt> existing) : IAsyncDisposable
    {
        public IReadOnlySet<string> ClaimedIds => claimedIds;
        public IReadOnlyDictionary<string, StoredReceipt> Existing => existing;

        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
