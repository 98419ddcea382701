using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class ImportExportServiceTests(CriteriaServiceFixture fixture)
{
    [Fact]
    public async Task Excel_export_imported_elsewhere_gives_back_the_same_set()
    {
        var source = fixture.Client(ProvinceAdmin);
        var workbook = await source.GetByteArrayAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2025}/export.xlsx");
        var target = fixture.Client(new TestCaller("admin-xlsx", PlatformRoles.ProvincialAdmin, "excel-province"));
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var imported = await (await target.PostAsync("/api/criteria/sets/import.xlsx", content)).ReadAsync<CriteriaSet>();

        Assert.Equal(
            await source.GetStringAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2025}/export"),
            await target.GetStringAsync($"/api/criteria/sets/{imported.Id}/export"));
    }

    [Fact]
    public async Task Json_export_imported_elsewhere_gives_back_the_same_set()
    {
        var source = fixture.Client(ProvinceAdmin);
        var document = await source.GetStringAsync($"/api/criteria/sets/{SeedIds.DistrictSet2024}/export");
        var target = fixture.Client(new TestCaller("admin-json", PlatformRoles.ProvincialAdmin, "json-province"));

        var imported = await (await target.PostAsync("/api/criteria/sets", new StringContent(document, Encoding.UTF8, "application/json"))).ReadAsync<CriteriaSet>();

        Assert.Equal(document, await target.GetStringAsync($"/api/criteria/sets/{imported.Id}/export"));
        Assert.Contains("\"name\": \"Điểm trừ\"", document); // Vietnamese stays readable in the file
    }

    [Fact]
    public async Task An_unreadable_workbook_is_a_validation_problem()
    {
        var content = new ByteArrayContent("not a workbook"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var problem = await (await fixture.Client(ProvinceAdmin).PostAsync("/api/criteria/sets/import.xlsx", content)).ProblemAsync(400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("workbook", out _));
    }
}
