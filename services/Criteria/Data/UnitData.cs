using Dapper;
using Npgsql;
using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.Data;

internal static class UnitData
{
    private const string UnitColumns =
        "id, tenant_id AS TenantId, code, name, type, parent_id AS ParentId, valid_from AS ValidFrom, valid_to AS ValidTo, province_tenant_id AS ProvinceTenantId";

    public static async Task<EvaluatedUnit?> LoadAsync(NpgsqlConnection connection, Guid id) =>
        (await connection.QuerySingleOrDefaultAsync<UnitRow>($"SELECT {UnitColumns} FROM evaluated_units WHERE id = @id", new { id }))?.ToUnit();

    public static async Task<IReadOnlyList<EvaluatedUnit>> LoadManyAsync(NpgsqlConnection connection, IEnumerable<Guid> ids) =>
        (await connection.QueryAsync<UnitRow>($"SELECT {UnitColumns} FROM evaluated_units WHERE id = ANY(@ids)", new { ids = ids.ToArray() }))
            .Select(row => row.ToUnit()).ToList();

    /// <param name="at">Only units valid on that day; null for every unit ever registered.</param>
    public static async Task<IReadOnlyList<EvaluatedUnit>> ListAsync(
        NpgsqlConnection connection, string tenantId, EvaluatedLevel? type, DateOnly? at, Guid? parentId) =>
        (await connection.QueryAsync<UnitRow>(
            $"""
            SELECT {UnitColumns} FROM evaluated_units
            WHERE tenant_id = @tenantId AND (@type::text IS NULL OR type = @type)
              AND (@parentId::uuid IS NULL OR parent_id = @parentId)
              AND (@at::date IS NULL OR (valid_from <= @at::date AND (valid_to IS NULL OR valid_to >= @at::date)))
            ORDER BY type, code, valid_from
            """, new { tenantId, type = type is { } t ? SetData.Lower(t) : null, at = ToDate(at), parentId })).Select(row => row.ToUnit()).ToList();

    public static Task InsertAsync(NpgsqlConnection connection, EvaluatedUnit unit, NpgsqlTransaction? transaction = null) =>
        connection.ExecuteAsync(
            """
            INSERT INTO evaluated_units (id, tenant_id, code, name, type, parent_id, valid_from, valid_to, province_tenant_id)
            VALUES (@Id, @TenantId, @Code, @Name, @type, @ParentId, @validFrom::date, @validTo::date, @ProvinceTenantId) ON CONFLICT (id) DO NOTHING
            """,
            new { unit.Id, unit.TenantId, unit.Code, unit.Name, type = SetData.Lower(unit.Type), unit.ParentId, unit.ProvinceTenantId,
                  validFrom = ToDate(unit.ValidFrom), validTo = ToDate(unit.ValidTo) }, transaction);

    public static Task<int> UpdateAsync(NpgsqlConnection connection, EvaluatedUnit unit) =>
        connection.ExecuteAsync(
            """
            UPDATE evaluated_units SET code = @Code, name = @Name, type = @type, parent_id = @ParentId,
                valid_from = @validFrom::date, valid_to = @validTo::date, province_tenant_id = @ProvinceTenantId
            WHERE id = @Id AND tenant_id = @TenantId
            """,
            new { unit.Id, unit.TenantId, unit.Code, unit.Name, type = SetData.Lower(unit.Type), unit.ParentId, unit.ProvinceTenantId,
                  validFrom = ToDate(unit.ValidFrom), validTo = ToDate(unit.ValidTo) });

    public static async Task<IReadOnlyList<LineageEvent>> LineageAsync(NpgsqlConnection connection, string tenantId) =>
        (await connection.QueryAsync<LineageRow>(
            """
            SELECT id, tenant_id AS TenantId, kind, effective_on AS EffectiveOn, from_unit_ids AS FromUnitIds,
                   to_unit_ids AS ToUnitIds, note
            FROM lineage_events WHERE tenant_id = @tenantId ORDER BY effective_on
            """, new { tenantId })).Select(row => row.ToEvent()).ToList();

    /// <summary>Records the event and ends the validity of the units that ceased to exist (not of an absorbing unit).</summary>
    public static async Task InsertLineageAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LineageEvent lineage, DateTimeOffset now)
    {
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO lineage_events (id, tenant_id, kind, effective_on, from_unit_ids, to_unit_ids, note, recorded_at)
            VALUES (@Id, @TenantId, @kind, @effectiveOn::date, @from, @to, @Note, @now) ON CONFLICT (id) DO NOTHING
            """,
            new { lineage.Id, lineage.TenantId, kind = SetData.Lower(lineage.Kind), effectiveOn = ToDate(lineage.EffectiveOn),
                  from = lineage.FromUnitIds.ToArray(), to = lineage.ToUnitIds.ToArray(), lineage.Note, now }, transaction);
        if (inserted == 0) return;
        await connection.ExecuteAsync(
            """
            UPDATE evaluated_units SET valid_to = @lastDay::date
            WHERE id = ANY(@ended) AND (valid_to IS NULL OR valid_to > @lastDay::date)
            """,
            new { ended = lineage.FromUnitIds.Except(lineage.ToUnitIds).ToArray(), lastDay = ToDate(lineage.EffectiveOn.AddDays(-1)) },
            transaction);
    }

    private static DateTime? ToDate(DateOnly? value) => value?.ToDateTime(TimeOnly.MinValue);

    // Npgsql reads PostgreSQL date as DateOnly.
    private sealed record UnitRow(
        Guid Id, string TenantId, string Code, string Name, string Type, Guid? ParentId, DateOnly ValidFrom, DateOnly? ValidTo, string? ProvinceTenantId)
    {
        public EvaluatedUnit ToUnit() =>
            new(Id, TenantId, Code, Name, Enum.Parse<EvaluatedLevel>(Type, ignoreCase: true), ParentId, ValidFrom, ValidTo, ProvinceTenantId);
    }

    // A class with setters: Dapper's constructor matching sees uuid[] columns as System.Array.
    private sealed class LineageRow
    {
        public Guid Id { get; init; }
        public string TenantId { get; init; } = "";
        public string Kind { get; init; } = "";
        public DateOnly EffectiveOn { get; init; }
        public Guid[] FromUnitIds { get; init; } = [];
        public Guid[] ToUnitIds { get; init; } = [];
        public string? Note { get; init; }

        public LineageEvent ToEvent() => new(Id, TenantId, Enum.Parse<LineageKind>(Kind, ignoreCase: true), EffectiveOn, FromUnitIds, ToUnitIds, Note);
    }
}
