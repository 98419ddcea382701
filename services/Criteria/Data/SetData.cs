using System.Text.Json;
using Dapper;
using Npgsql;
using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.Data;

/// <summary>SQL of criteria sets: a header row plus one row per node, the tree rebuilt from parent codes.</summary>
internal static class SetData
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<CriteriaSet?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction = null)
    {
        var header = await connection.QuerySingleOrDefaultAsync<SetRow>(
            "SELECT * FROM criteria_sets WHERE id = @id" + (transaction is null ? "" : " FOR UPDATE"), new { id }, transaction);
        if (header is null) return null;
        var nodes = (await connection.QueryAsync<NodeRow>(
            "SELECT * FROM criteria_nodes WHERE set_id = @id ORDER BY position", new { id }, transaction)).ToList();
        return header.ToSet(BuildTree(nodes, parent: null));
    }

    public static async Task<IReadOnlyList<SetSummary>> ListAsync(NpgsqlConnection connection, string tenantId, bool national, int? year)
    {
        var rows = await connection.QueryAsync<SetSummary>(
            """
            SELECT id, tenant_id AS TenantId, code, name, year, initcap(level) AS Level, initcap(status) AS Status, version,
                   reference_skeleton AS ReferenceSkeleton, published_at AS PublishedAt
            FROM criteria_sets
            WHERE (@national OR tenant_id = @tenantId OR (tenant_id = 'national' AND status <> 'draft'))
              AND (@year::int IS NULL OR year = @year)
            ORDER BY year DESC, tenant_id, code
            """, new { tenantId, national, year });
        return rows.ToList();
    }

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string tenantId, CriteriaSetDefinition set,
        Guid? clonedFrom, DateTimeOffset now)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO criteria_sets (id, tenant_id, code, name, year, level, max_points, appraisal_points, survey_points,
                score_step, bonus_cap, penalty_cap, reference_skeleton, notes, bands, cloned_from, created_at, updated_at)
            VALUES (@id, @tenantId, @Code, @Name, @Year, @level, @MaxPoints, @AppraisalPoints, @SurveyPoints,
                @ScoreStep, @BonusCap, @PenaltyCap, @ReferenceSkeleton, @Notes, @bands::jsonb, @clonedFrom, @now, @now)
            """,
            new
            {
                id, tenantId, set.Code, set.Name, set.Year, level = Lower(set.Level), set.MaxPoints, set.AppraisalPoints,
                set.SurveyPoints, set.ScoreStep, set.BonusCap, set.PenaltyCap, set.ReferenceSkeleton, set.Notes,
                bands = JsonSerializer.Serialize(set.Bands, Json), clonedFrom, now,
            }, transaction);
        await InsertNodesAsync(connection, transaction, id, set.Fields);
    }

    /// <summary>Replaces a draft's content and bumps its version; the caller has checked it is a draft.</summary>
    public static async Task ReplaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CriteriaSetDefinition set, DateTimeOffset now)
    {
        await connection.ExecuteAsync("DELETE FROM criteria_nodes WHERE set_id = @id", new { id }, transaction);
        await connection.ExecuteAsync(
            """
            UPDATE criteria_sets SET code = @Code, name = @Name, year = @Year, level = @level, max_points = @MaxPoints,
                appraisal_points = @AppraisalPoints, survey_points = @SurveyPoints, score_step = @ScoreStep,
                bonus_cap = @BonusCap, penalty_cap = @PenaltyCap, reference_skeleton = @ReferenceSkeleton, notes = @Notes,
                bands = @bands::jsonb, version = version + 1, updated_at = @now
            WHERE id = @id AND status = 'draft'
            """,
            new
            {
                id, set.Code, set.Name, set.Year, level = Lower(set.Level), set.MaxPoints, set.AppraisalPoints,
                set.SurveyPoints, set.ScoreStep, set.BonusCap, set.PenaltyCap, set.ReferenceSkeleton, set.Notes,
                bands = JsonSerializer.Serialize(set.Bands, Json), now,
            }, transaction);
        await InsertNodesAsync(connection, transaction, id, set.Fields);
    }

    public static Task<int> SetStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, SetStatus from, SetStatus to, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            UPDATE criteria_sets SET status = @to, updated_at = @now,
                published_at = CASE WHEN @to = 'published' THEN @now ELSE published_at END,
                retired_at = CASE WHEN @to = 'retired' THEN @now ELSE retired_at END
            WHERE id = @id AND status = @from
            """, new { id, from = Lower(from), to = Lower(to), now }, transaction);

    public static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static async Task InsertNodesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid setId, IReadOnlyList<CriteriaNode> fields)
    {
        var rows = Tree.Flatten(fields).Select((node, position) => new
        {
            setId, node.Code, parentCode = Tree.ParentCode(node.Code), position, node.Name, node.MaxPoints, node.MinPoints,
            method = node.Method is { } m ? Lower(m) : null, node.EvidenceRequired, node.Guidance,
            rule = node.Rule is null ? null : JsonSerializer.Serialize(node.Rule, Json), node.IsBonus, node.IsPenalty,
        });
        await connection.ExecuteAsync(
            """
            INSERT INTO criteria_nodes (set_id, code, parent_code, position, name, max_points, min_points, method,
                evidence_required, guidance, rule, is_bonus, is_penalty)
            VALUES (@setId, @Code, @parentCode, @position, @Name, @MaxPoints, @MinPoints, @method,
                @EvidenceRequired, @Guidance, @rule::jsonb, @IsBonus, @IsPenalty)
            """, rows, transaction);
    }

    private static List<CriteriaNode>? BuildTree(List<NodeRow> rows, string? parent)
    {
        var children = rows.Where(row => row.parent_code == parent).Select(row => row.ToNode(BuildTree(rows, row.code))).ToList();
        return children.Count > 0 ? children : null;
    }

    public sealed record SetSummary(
        Guid Id, string TenantId, string Code, string Name, int Year, string Level, string Status, int Version,
        bool ReferenceSkeleton, DateTime? PublishedAt);

#pragma warning disable IDE1006 // column names as PostgreSQL spells them
    private sealed record SetRow(
        Guid id, string tenant_id, string code, string name, int year, string level, string status, int version,
        decimal max_points, decimal appraisal_points, decimal survey_points, decimal? score_step, decimal? bonus_cap,
        decimal? penalty_cap, bool reference_skeleton, string? notes, string bands, Guid? cloned_from,
        DateTime created_at, DateTime updated_at, DateTime? published_at, DateTime? retired_at)
    {
        public CriteriaSet ToSet(List<CriteriaNode>? fields) => new(
            id, tenant_id, Enum.Parse<SetStatus>(status, ignoreCase: true), version, cloned_from,
            Utc(created_at), Utc(updated_at), published_at is { } p ? Utc(p) : null, retired_at is { } r ? Utc(r) : null,
            new CriteriaSetDefinition(
                code, name, year, Enum.Parse<EvaluatedLevel>(level, ignoreCase: true), max_points, appraisal_points,
                survey_points, JsonSerializer.Deserialize<List<ClassificationBand>>(bands, Json)!, fields ?? [],
                score_step, bonus_cap, penalty_cap, reference_skeleton, notes));
    }

    private sealed record NodeRow(
        Guid set_id, string code, string? parent_code, int position, string name, decimal? max_points, decimal min_points,
        string? method, bool evidence_required, string? guidance, string? rule, bool is_bonus, bool is_penalty)
    {
        public CriteriaNode ToNode(List<CriteriaNode>? children) => new(
            code, name, max_points, min_points, method is null ? null : Enum.Parse<ScoringMethod>(method, ignoreCase: true),
            evidence_required, guidance, rule is null ? null : JsonSerializer.Deserialize<ScoringRule>(rule, Json),
            is_bonus, is_penalty, children);
    }
#pragma warning restore IDE1006

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
