using Dapper;
using Npgsql;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Data;

/// <summary>A frozen group table with its publication facts.</summary>
public sealed record PublishedSnapshot(int Version, DateTimeOffset PublishedAt, string PublishedBy, GroupTable Table);

/// <summary>Published snapshots: written once (the database rejects any update or delete), read by version.</summary>
internal static class SnapshotData
{
    /// <summary>One publisher per round at a time, so versions are consecutive.</summary>
    public static Task LockRoundAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"publish/{roundId}" }, transaction);

    /// <summary>Writes the table and, beside each row, the unit's whole scorecard (rows locked by the caller).</summary>
    public static async Task<int> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, GroupTable table, DateTimeOffset publishedAt, string publishedBy)
    {
        var version = 1 + await connection.ExecuteScalarAsync<int>(
            "SELECT coalesce(max(version), 0) FROM published_snapshots WHERE round_id = @RoundId", new { table.RoundId }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO published_snapshots
                (round_id, version, tenant_id, ranking_group, year, round_name, computed_at, published_at, published_by, statistics)
            VALUES (@RoundId, @version, @TenantId, @RankingGroup, @Year, @RoundName, @ComputedAt, @publishedAt, @publishedBy, @statistics::jsonb)
            """,
            new
            {
                table.RoundId, version, table.TenantId, table.RankingGroup, table.Year, table.RoundName, table.ComputedAt,
                publishedAt, publishedBy, statistics = RankingJson.Write(table.Statistics),
            }, transaction);
        // One statement for every row (unnest), not one round trip per unit.
        await connection.ExecuteAsync(
            """
            INSERT INTO published_units
                (round_id, version, position, unit_id, unit_name, rank, total_points, index_percent, row, scorecard)
            SELECT @RoundId, @version, u.position, u.unit_id, u.unit_name, u.rank, u.total_points, u.index_percent, u.row::jsonb, r.result
            FROM unnest(@positions, @unitIds, @names, @ranks, @points, @percents, @rows)
                AS u(position, unit_id, unit_name, rank, total_points, index_percent, row)
            JOIN unit_results r ON r.round_id = @RoundId AND r.unit_id = u.unit_id
            """,
            new
            {
                table.RoundId, version,
                positions = Enumerable.Range(1, table.Rows.Count).ToArray(),
                unitIds = table.Rows.Select(row => row.Result.UnitId).ToArray(),
                names = table.Rows.Select(row => row.Result.UnitName).ToArray(),
                ranks = table.Rows.Select(row => row.Rank).ToArray(),
                points = table.Rows.Select(row => row.Result.TotalPoints).ToArray(),
                percents = table.Rows.Select(row => row.Result.IndexPercent).ToArray(),
                rows = table.Rows.Select(RankingJson.Write).ToArray(),
            }, transaction);
        return version;
    }

    /// <param name="version">null for the latest.</param>
    /// <param name="unitId">Just this unit, with its whole scorecard.</param>
    public static async Task<PublishedSnapshot?> LoadAsync(NpgsqlConnection connection, Guid roundId, int? version, Guid? unitId = null)
    {
        var header = await connection.QuerySingleOrDefaultAsync<Header>(
            """
            SELECT round_id AS RoundId, version AS Version, tenant_id AS TenantId, ranking_group AS RankingGroup, year AS Year,
                   round_name AS RoundName, computed_at AS ComputedAt, published_at AS PublishedAt, published_by AS PublishedBy,
                   statistics::text AS Statistics
            FROM published_snapshots WHERE round_id = @roundId AND (@version::int IS NULL OR version = @version)
            ORDER BY version DESC LIMIT 1
            """, new { roundId, version });
        if (header is null)
        {
            return null;
        }
        var rows = await connection.QueryAsync<(string Row, string? Scorecard)>(
            """
            SELECT row::text, CASE WHEN @unitId::uuid IS NOT NULL THEN scorecard::text END FROM published_units
            WHERE round_id = @roundId AND version = @Version AND (@unitId::uuid IS NULL OR unit_id = @unitId)
            ORDER BY position
            """, new { roundId, header.Version, unitId });
        var groupRows = rows.Select(row => row.Scorecard is null
            ? RankingJson.Read<GroupRow>(row.Row)
            : RankingJson.Read<GroupRow>(row.Row) with { Result = RankingJson.Read<UnitResult>(row.Scorecard) }).ToList();
        var table = new GroupTable(header.RoundId, header.TenantId, header.RankingGroup, header.Year, header.RoundName,
            Utc(header.ComputedAt), groupRows, RankingJson.Read<GroupStatistics>(header.Statistics));
        return new PublishedSnapshot(header.Version, Utc(header.PublishedAt), header.PublishedBy, table);
    }

    /// <summary>Last year's standings for the year-over-year comparison: the previous round's latest publication.</summary>
    public static async Task<IReadOnlyDictionary<Guid, PreviousStanding>> LoadStandingsAsync(NpgsqlConnection connection, Guid roundId)
    {
        var rows = await connection.QueryAsync<PreviousStanding>(
            """
            SELECT unit_id AS UnitId, unit_name AS UnitName, total_points AS TotalPoints, index_percent AS IndexPercent, rank AS Rank
            FROM published_units
            WHERE round_id = @roundId AND version = (SELECT max(version) FROM published_snapshots WHERE round_id = @roundId)
            """, new { roundId });
        return rows.ToDictionary(row => row.UnitId);
    }

    private sealed record Header(
        Guid RoundId, int Version, string TenantId, string RankingGroup, int Year, string RoundName,
        DateTime ComputedAt, DateTime PublishedAt, string PublishedBy, string Statistics);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
