using Microsoft.Extensions.Hosting;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Issue 7: "Cross-tenant reads through a deliberately unfiltered SQL query are blocked by row-level security". Each
/// check runs on the platform's real databases as the role the AppHost hands the service (never the superuser), with
/// the session setting <c>par.tenant</c> that <c>TenantDataSource</c> sets for a request, and compares with what the
/// superuser sees: the seeded data and this run's targets are quang-ninh's, the intruder is bac-ninh.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class RowLevelSecurityTests(SecurityFixture platform)
{
    private static readonly string[] Databases =
        [ResourceNames.CriteriaDb, ResourceNames.SubmissionDb, ResourceNames.EvidenceDb, ResourceNames.SurveyDb, ResourceNames.RankingDb, ResourceNames.IdentityDb];

    /// <summary>Tables that hold no tenant's data, each with the reason; every other table must be under forced RLS.</summary>
    private static readonly Dictionary<string, string> TenantFree = new()
    {
        ["changelog"] = "migration history", ["platform_changelog"] = "migration history",
        ["inbox_messages"] = "message ids already processed", ["outbox_messages"] = "events awaiting publication (their readers are the consumers)",
        ["received_pings"] = "wiring checks",
        ["tenants"] = "the list of tenants", ["roles"] = "the list of roles", ["signing_keys"] = "the token signing keys",
        ["published_units"] = "published results are public; written only with their snapshot, which is tenant-checked",
    };

    /// <summary>Policies that make some rows readable by other tenants on purpose ({tenant}: the scoped tenant).</summary>
    private static readonly Dictionary<string, string> SharedOnPurpose = new()
    {
        // A province reads the national register's unit of its own province (it registers its departments under it).
        ["evaluated_units"] = "tenant_id = 'national' AND province_tenant_id = '{tenant}'",
        ["criteria_sets"] = "tenant_id = 'national' AND status <> 'draft'", // the Ministry's published sets serve every province
        ["published_snapshots"] = "true",                                   // published results are public
    };

    [Fact]
    public async Task Services_connect_as_roles_that_cannot_bypass_row_level_security_nor_reach_another_services_database()
    {
        foreach (var database in Databases)
        {
            await using var connection = await OpenAsync(platform.App.ResourceConnectionString(database));
            Assert.False(await ScalarAsync<bool>(connection, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"),
                $"{database}: the service's role is a superuser or may bypass row-level security");

            var unsecured = await ListAsync(connection, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
                """);
            Assert.True(unsecured.All(TenantFree.ContainsKey),
                $"{database}: tables without forced row-level security: {string.Join(", ", unsecured.Where(t => !TenantFree.ContainsKey(t)))}");

            var other = Databases.First(d => d != database);
            var builder = new NpgsqlConnectionStringBuilder(platform.App.ResourceConnectionString(database))
            {
                Database = new NpgsqlConnectionStringBuilder(platform.App.ResourceConnectionString(other)).Database,
            };
            var refused = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(builder.ConnectionString));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task An_unfiltered_query_returns_only_the_scoped_tenants_rows()
    {
        var hiddenFromIntruder = new List<string>();
        foreach (var database in Databases)
        {
            await using var superuser = await OpenAsync(platform.App.SuperuserConnectionString(database));
            await using var service = await OpenAsync(platform.App.ResourceConnectionString(database));
            var tables = await ListAsync(superuser, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1
                """);
            foreach (var table in tables)
            {
                var shared = SharedOnPurpose.GetValueOrDefault(table, "false");
                // What each tenant may see, by the superuser, who bypasses RLS: its own rows plus the shared ones.
                var all = await CountsAsync(superuser, $"SELECT coalesce(tenant_id, '(none)'), count(*) FROM {table} GROUP BY 1");

                var sharedWithOtherTenant = new Dictionary<string, long>();
                foreach (var tenant in new[] { Targets.Tenant, Targets.OtherTenant })
                {
                    var sharedCounts = await CountsAsync(superuser,
                        $"SELECT coalesce(tenant_id, '(none)'), count(*) FROM {table} WHERE {shared.Replace("{tenant}", tenant)} GROUP BY 1");
                    await ScopeAsync(service, tenant);
                    // The deliberately unfiltered query: no WHERE clause at all.
                    var seen = await CountsAsync(service, $"SELECT coalesce(tenant_id, '(none)'), count(*) FROM {table} GROUP BY 1");
                    var expected = all.Where(pair => pair.Key == tenant || sharedCounts.ContainsKey(pair.Key))
                        .ToDictionary(pair => pair.Key, pair => pair.Key == tenant ? pair.Value : sharedCounts[pair.Key]);
                    Assert.True(Same(expected, seen), $"{database}.{table} scoped to {tenant}: saw {Show(seen)}, may see {Show(expected)}");
                    if (tenant == Targets.OtherTenant)
                    {
                        sharedWithOtherTenant = sharedCounts;
                    }
                }
                if (all.GetValueOrDefault(Targets.Tenant) > sharedWithOtherTenant.GetValueOrDefault(Targets.Tenant))
                {
                    hiddenFromIntruder.Add(table);
                }

                await ScopeAsync(service, TenantScope.AllTenants);
                Assert.True(Same(all, await CountsAsync(service, $"SELECT coalesce(tenant_id, '(none)'), count(*) FROM {table} GROUP BY 1")),
                    $"{database}.{table}: the all-tenants scope must see every row");

                await using var unscoped = await OpenAsync(platform.App.ResourceConnectionString(database));
                var leaked = await CountsAsync(unscoped, $"SELECT coalesce(tenant_id, '(none)'), count(*) FROM {table} WHERE NOT ({shared}) GROUP BY 1");
                Assert.True(leaked.Count == 0, $"{database}.{table}: a connection without a tenant saw {Show(leaked)}");
            }
        }
        // The proof is only as good as the data: quang-ninh's rows must exist where it matters, and stay hidden from bac-ninh.
        Assert.Superset(
            new HashSet<string> { "evaluated_units", "rounds", "assessments", "evidence", "questionnaires", "responses", "intake_receipts", "unit_results", "users" },
            hiddenFromIntruder.ToHashSet());
    }

    [Fact]
    public async Task Rows_without_a_tenant_column_follow_their_parent_and_writes_cannot_cross_tenants()
    {
        await using var superuser = await OpenAsync(platform.App.SuperuserConnectionString(ResourceNames.SubmissionDb));
        await using var service = await OpenAsync(platform.App.ResourceConnectionString(ResourceNames.SubmissionDb));
        Assert.True(await ScalarAsync<long>(superuser, "SELECT count(*) FROM assessment_items") > 0);
        Assert.True(await ScalarAsync<long>(superuser, "SELECT count(*) FROM audit_log") > 0);

        await ScopeAsync(service, Targets.OtherTenant);
        Assert.Equal(0, await ScalarAsync<long>(service, "SELECT count(*) FROM assessment_items"));
        Assert.Equal(0, await ScalarAsync<long>(service, "SELECT count(*) FROM audit_log"));

        // An UPDATE without WHERE touches none of another tenant's rows; an INSERT for another tenant is refused.
        await using (var transaction = await service.BeginTransactionAsync())
        {
            Assert.Equal(0, await ExecuteAsync(service, "UPDATE assessments SET updated_at = updated_at"));
            Assert.Equal(0, await ExecuteAsync(service, "UPDATE assessment_items SET explanation = 'bị sửa bởi tỉnh khác'"));
            await transaction.RollbackAsync();
        }
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(service, $"""
            INSERT INTO assessments (id, round_id, tenant_id, unit_id, criteria_set_id, status, created_at, updated_at)
            VALUES (gen_random_uuid(), gen_random_uuid(), '{Targets.Tenant}', gen_random_uuid(), gen_random_uuid(), 'Draft', now(), now())
            """));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState); // "new row violates row-level security policy"

        await using var evidence = await OpenAsync(platform.App.ResourceConnectionString(ResourceNames.EvidenceDb));
        await ScopeAsync(evidence, Targets.OtherTenant);
        Assert.Equal(0, await ExecuteAsync(evidence, "DELETE FROM evidence"));
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static Task ScopeAsync(NpgsqlConnection connection, string tenant) => TenantDataSource.ScopeAsync(connection, tenant);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private static bool Same(Dictionary<string, long> expected, Dictionary<string, long> actual) =>
        expected.Count == actual.Count && expected.All(pair => actual.GetValueOrDefault(pair.Key) == pair.Value);

    private static string Show(Dictionary<string, long> counts) =>
        counts.Count == 0 ? "nothing" : string.Join(", ", counts.Select(pair => $"{pair.Key}: {pair.Value}"));
}
