using Dapper;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;
using ParPlatform.Testing;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class SeedServiceTests(CriteriaServiceFixture fixture)
{
    [Fact]
    public async Task Seeding_again_on_the_same_database_adds_nothing()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        await using (var second = new ServiceHost<Program>(
            infrastructure, ResourceNames.CriteriaDb, fixture.Host.DatabaseConnectionString,
            new Dictionary<string, string> { ["Seed:Demo"] = "true" }))
        {
            second.Start();
        }

        await using var connection = new NpgsqlConnection(fixture.Host.SuperuserConnectionString);
        var counts = await connection.QuerySingleAsync<(long Sets, long Nodes, long Units, long Lineage, long Rounds, long Members)>(
            """
            SELECT (SELECT count(*) FROM criteria_sets WHERE id::text LIKE '10000000-%'),
                   (SELECT count(*) FROM criteria_nodes WHERE set_id = @set),
                   (SELECT count(*) FROM evaluated_units WHERE id::text LIKE '20000000-%'),
                   (SELECT count(*) FROM lineage_events WHERE id::text LIKE '40000000-%'),
                   (SELECT count(*) FROM rounds WHERE id::text LIKE '30000000-%'),
                   (SELECT count(*) FROM round_units WHERE round_id::text LIKE '30000000-%')
            """, new { set = SeedIds.DepartmentSet2024 });

        // Four sets of 2024-2025 and this year's (after 2025), with its round of the six departments.
        Assert.Equal((5L, (long)Tree.Flatten(DemoSets.Departments(2024).Fields).Count(), 18L, 2L, 4L, 22L), counts);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_criteria_endpoints()
    {
        var document = await fixture.Client(ProvinceViewer).GetStringAsync("/api/criteria/openapi/v1.json");

        Assert.Contains("/api/criteria/sets/{id}", document);
        Assert.Contains("/api/criteria/rounds/{id}/units", document);
    }
}
