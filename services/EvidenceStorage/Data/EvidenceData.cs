using Dapper;
using Npgsql;

namespace ParPlatform.EvidenceStorage.Data;

public sealed record EvidenceRecord(
    Guid Id, string TenantId, Guid UnitId, Guid RoundId, string Title, string? DocumentNumber, string? Issuer, string? IssueDate,
    string FileName, string MediaType, long Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

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

    // Soft delete: the blob may be shared by other uploads of the same bytes, and the row stays for the record.
    public static Task<int> DeleteAsync(NpgsqlConnection connection, Guid id, string deletedBy, DateTimeOffset at) =>
        connection.ExecuteAsync(
            "UPDATE evidence SET deleted_at = @at, deleted_by = @deletedBy WHERE id = @id AND deleted_at IS NULL",
            new { id, deletedBy, at });
}
