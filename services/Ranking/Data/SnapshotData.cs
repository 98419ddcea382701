using Dapper;
using Npgsql;
using ParPlatform.Ranking.Live;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Data;

/// <summary>A frozen group table with its publication facts.</summary>
/// <param name="EarlyPublication">Set when an administrator published before the round's publication date: who, when, why.</param>
public sealed record PublishedSnapshot(
    int Version, DateTimeOffset PublishedAt, string PublishedBy, GroupTable Table, EarlyPublication? EarlyPublication = null);

/// <summary>A round's latest publication, as ministry systems discover it.</summary>
public sealed record PublicationListing(
    Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, int LatestVersion, DateTimeOffset PublishedAt, int Versions);

/// <summary>Published snapshots: written once (the database rejects any update or delete), read by version.</summary>
internal static class SnapshotData
{
    /// <summary>One publisher per round at a time, so versions are consecutive.</summary>
    public static Task LockRoundAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"publish/{roundId}" }, transaction);

    /// <summary>Writes the table and, beside each row, the unit's whole scorecard (rows locked by the caller).</summary>
    public static async Task<int> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, GroupTable table, DateTimeOffset publishedAt, string publishedBy,
        EarlyPublication? early)
    {
        var version = 1 + await connection.ExecuteScalarAsync<int>(
            "SELECT coalesce(max(version), 0) FROM published_snapshots WHERE round_id = @RoundId", new { table.RoundId }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO published_snapshots
                (round_id, version, tenant_id, ranking_group, year, round_name, computed_at, published_at, published_by, statistics,
                 point_decimals, excluded, early_reason, publication_at)
            VALUES (@RoundId, @version, @TenantId, @RankingGroup, @Year, @RoundName, @ComputedAt, @publishedAt, @publishedBy, @statistics::jsonb,
                    @PointDecimals, @excluded::jsonb, @earlyReason, @publicationAt)
            """,
            new
            {
                table.RoundId, version, table.TenantId, table.RankingGroup, table.Year, table.RoundName, table.ComputedAt,
                publishedAt, publishedBy, statistics = RankingJson.Write(table.Statistics), table.PointDecimals,
                excluded = RankingJson.Write(table.Excluded ?? []), earlyReason = early?.Reason, publicationAt = early?.PublicationAt,
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
                   statistics::text AS Statistics, point_decimals AS PointDecimals, excluded::text AS Excluded,
                   early_reason AS EarlyReason, publication_at AS PublicationAt
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
            Utc(header.ComputedAt), groupRows, RankingJson.Read<GroupStatistics>(header.Statistics),
            RankingJson.Read<List<ExcludedUnit>>(header.Excluded), header.PointDecimals);
        var early = header is { EarlyReason: { } reason, PublicationAt: { } publicationAt }
            ? new EarlyPublication(header.PublishedBy, Utc(header.PublishedAt), reason, Utc(publicationAt))
            : null;
        return new PublishedSnapshot(header.Version, Utc(header.PublishedAt), header.PublishedBy, table, early);
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

    /// <summary>Every round's latest publication matching the filters (null: any), newest year first.</summary>
    public static async Task<IReadOnlyList<PublicationListing>> ListAsync(NpgsqlConnection connection, int? year, string? tenantId, string? rankingGroup)
    {
        var rows = await connection.QueryAsync<(Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, int Version, DateTime PublishedAt, long Versions)>(
            """
            SELECT DISTINCT ON (round_id) round_id, tenant_id, ranking_group, year, round_name, version, published_at,
                   count(*) OVER (PARTITION BY round_id)
            FROM published_snapshots
            WHERE (@year::int IS NULL OR year = @year) AND (@tenantId::text IS NULL OR tenant_id = @tenantId)
              AND (@rankingGroup::text IS NULL OR ranking_group = @rankingGroup)
            ORDER BY round_id, version DESC
            """, new { year, tenantId, rankingGroup });
        return rows.Select(row => new PublicationListing(row.RoundId, row.TenantId, row.RankingGroup, row.Year, row.RoundName,
                row.Version, Utc(row.PublishedAt), (int)row.Versions))
            .OrderByDescending(row => row.Year).ThenBy(row => row.TenantId, StringComparer.Ordinal)
            .ThenBy(row => row.RankingGroup, StringComparer.Ordinal).ThenBy(row => row.RoundId)
            .ToList();
    }

    private sealed record Header(
        Guid RoundId, int Version, string TenantId, string RankingGroup, int Year, string RoundName,
        DateTime ComputedAt, DateTime PublishedAt, string PublishedBy, string Statistics, int PointDecimals, string Excluded,
        string? EarlyReason, DateTime? PublicationAt);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
