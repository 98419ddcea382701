using Dapper;
using Npgsql;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Data;

/// <summary>Live scorecards, one row per round and unit.</summary>
internal static class ResultData
{
    public static Task UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, string tenantId, UnitResult result, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO unit_results (round_id, unit_id, tenant_id, total_points, index_percent, result, summary, computed_at)
            VALUES (@roundId, @UnitId, @tenantId, @TotalPoints, @IndexPercent, @json::jsonb, @summary::jsonb, @now)
            ON CONFLICT (round_id, unit_id) DO UPDATE SET
                total_points = excluded.total_points, index_percent = excluded.index_percent,
                result = excluded.result, summary = excluded.summary, computed_at = excluded.computed_at
            """,
            new
            {
                roundId, result.UnitId, tenantId, result.TotalPoints, result.IndexPercent,
                json = RankingJson.Write(result), summary = RankingJson.Write(result.Summary()), now,
            },
            transaction);

    /// <summary>
    /// Moves the round's version and stamps the units' rows with it (migration V4). Run last in the transaction that
    /// changed them: the counter row stays locked until commit, so versions become visible in the order they were given.
    /// </summary>
    public static Task MarkChangedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, string tenantId, IReadOnlyCollection<Guid> unitIds) =>
        connection.ExecuteAsync(
            """
            WITH next AS (
                INSERT INTO round_versions (round_id, tenant_id, version) VALUES (@roundId, @tenantId, 1)
                ON CONFLICT (round_id) DO UPDATE SET version = round_versions.version + 1
                RETURNING version)
            UPDATE unit_results SET version = (SELECT version FROM next) WHERE round_id = @roundId AND unit_id = ANY(@unitIds)
            """,
            new { roundId, tenantId, unitIds = unitIds.ToArray() }, transaction);

    /// <summary>The round's current version: 0 before any change was stamped.</summary>
    public static Task<long> LoadVersionAsync(NpgsqlConnection connection, Guid roundId) =>
        connection.ExecuteScalarAsync<long>(
            "SELECT coalesce((SELECT version FROM round_versions WHERE round_id = @roundId), 0)", new { roundId });

    /// <summary>The summaries of the units changed after version <paramref name="after"/>, up to <paramref name="upTo"/>.</summary>
    public static async Task<IReadOnlyList<UnitResult>> LoadChangedSummariesAsync(NpgsqlConnection connection, Guid roundId, long after, long upTo)
    {
        var rows = await connection.QueryAsync<string>(
            "SELECT summary::text FROM unit_results WHERE round_id = @roundId AND version > @after AND version <= @upTo",
            new { roundId, after, upTo });
        return rows.Select(RankingJson.Read<UnitResult>).ToList();
    }

    /// <summary>Every unit's summary. <paramref name="lockRows"/> holds the rows still until the transaction ends.</summary>
    public static async Task<IReadOnlyList<UnitResult>> LoadSummariesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid roundId, bool lockRows = false)
    {
        var rows = await connection.QueryAsync<string>(
            $"SELECT summary::text FROM unit_results WHERE round_id = @roundId{(lockRows ? " FOR SHARE" : "")}",
            new { roundId }, transaction);
        return rows.Select(RankingJson.Read<UnitResult>).ToList();
    }

    /// <summary>Whether the unit has been scored in the round (any input received).</summary>
    public static Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, Guid unitId) =>
        connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM unit_results WHERE round_id = @roundId AND unit_id = @unitId)", new { roundId, unitId }, transaction);

    public static async Task<UnitResult?> LoadScorecardAsync(NpgsqlConnection connection, Guid roundId, Guid unitId)
    {
        var json = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT result::text FROM unit_results WHERE round_id = @roundId AND unit_id = @unitId", new { roundId, unitId });
        return json is null ? null : RankingJson.Read<UnitResult>(json);
    }
}
