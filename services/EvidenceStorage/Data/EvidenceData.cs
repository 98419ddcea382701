using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.EvidenceStorage.Data;

public sealed record EvidenceRecord(
    Guid Id, string TenantId, Guid UnitId, Guid RoundId, string Title, string? DocumentNumber, string? Issuer, string? IssueDate,
    string FileName, string MediaType, long Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

public sealed record EvidenceAuditEntry(
    long Id, Guid EvidenceId, DateTimeOffset At, string UserId, string UserName, string Role, string Action, string? Detail);

public static class EvidenceData
{
    private const string Columns =
        """
        id, tenant_id AS TenantId, unit_id AS UnitId, round_id AS RoundId, title, document_number AS DocumentNumber, issuer,
        issue_date::text AS IssueDate, file_name AS FileName, media_type AS MediaType, size, sha256,
        uploaded_by AS UploadedBy, uploaded_at AS UploadedAt
        """;

    public static Task InsertAsync(NpgsqlConnection connection, EvidenceRecord evidence) =>
        connection.ExecuteAsync(
            """
            INSERT INTO evidence (id, tenant_id, unit_id, round_id, title, document_number, issuer, issue_date, file_name,
                                  media_type, size, sha256, uploaded_by, uploaded_at)
            VALUES (@Id, @TenantId, @UnitId, @RoundId, @Title, @DocumentNumber, @Issuer, @IssueDate::date, @FileName,
                    @MediaType, @Size, @Sha256, @UploadedBy, @UploadedAt)
            """, evidence);

    public static Task<EvidenceRecord?> GetAsync(NpgsqlConnection connection, Guid id) =>
        connection.QuerySingleOrDefaultAsync<EvidenceRecord>(
            $"SELECT {Columns} FROM evidence WHERE id = @id AND deleted_at IS NULL", new { id });

    public static async Task<IReadOnlyList<EvidenceRecord>> GetManyAsync(NpgsqlConnection connection, Guid[] ids) =>
        (await connection.QueryAsync<EvidenceRecord>(
            $"SELECT {Columns} FROM evidence WHERE id = ANY(@ids) AND deleted_at IS NULL", new { ids })).ToList();

    public static async Task<IReadOnlyList<EvidenceRecord>> ListAsync(NpgsqlConnection connection, string tenantId, Guid roundId, Guid unitId) =>
        (await connection.QueryAsync<EvidenceRecord>(
            $"""
            SELECT {Columns} FROM evidence
            WHERE tenant_id = @tenantId AND round_id = @roundId AND unit_id = @unitId AND deleted_at IS NULL ORDER BY uploaded_at
            """, new { tenantId, roundId, unitId })).ToList();

    /// <summary>
    /// Soft delete (the blob may be shared by other uploads of the same bytes, and the row stays for the record),
    /// audited in the same transaction.
    /// </summary>
    public static async Task DeleteAsync(NpgsqlConnection connection, EvidenceRecord evidence, Caller caller, DateTimeOffset at)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var deleted = await connection.ExecuteAsync(
            "UPDATE evidence SET deleted_at = @at, deleted_by = @user WHERE id = @id AND deleted_at IS NULL",
            new { evidence.Id, user = caller.UserId, at }, transaction);
        if (deleted == 1)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO evidence_audit (evidence_id, tenant_id, unit_id, round_id, at, user_id, user_name, role, action, detail)
                VALUES (@Id, @TenantId, @UnitId, @RoundId, @at, @userId, @userName, @role, 'deleted', @detail)
                """,
                new
                {
                    evidence.Id, evidence.TenantId, evidence.UnitId, evidence.RoundId, at, userId = caller.UserId, userName = caller.DisplayName,
                    role = caller.Role, detail = $"{evidence.FileName} ({evidence.Title}, sha256 {evidence.Sha256})",
                }, transaction);
        }
        await transaction.CommitAsync();
    }

    public static async Task<IReadOnlyList<EvidenceAuditEntry>> AuditAsync(NpgsqlConnection connection, string tenantId, Guid roundId, Guid unitId) =>
        (await connection.QueryAsync<EvidenceAuditEntry>(
            """
            SELECT id, evidence_id AS EvidenceId, at, user_id AS UserId, user_name AS UserName, role, action, detail
            FROM evidence_audit WHERE tenant_id = @tenantId AND round_id = @roundId AND unit_id = @unitId ORDER BY id
            """, new { tenantId, roundId, unitId })).ToList();
}
