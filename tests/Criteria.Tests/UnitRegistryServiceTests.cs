using System.Net;
using System.Text.Json;
using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class UnitRegistryServiceTests(CriteriaServiceFixture fixture)
{
    /// <summary>
    /// Quảng Ninh's administrators register a department under the province unit Tỉnh Quảng Ninh (kept by the
    /// national tenant), exactly as the seed does; they see their own province unit but no other province's, and
    /// another province cannot hang its units under Quảng Ninh.
    /// </summary>
    [Fact]
    public async Task A_provincial_admin_registers_a_department_under_its_own_province()
    {
        var client = fixture.Client(ProvinceAdmin);
        var code = "SCT-" + Guid.NewGuid().ToString("N")[..6];

        var created = await (await client.PostJsonAsync("/api/criteria/units", new
        {
            code, name = "Sở Công Thương", type = "Department", parentId = SeedIds.QuangNinh, validFrom = "2026-01-01",
        })).ReadAsync<EvaluatedUnit>();

        Assert.Equal((SeedIds.ProvinceTenant, SeedIds.QuangNinh, EvaluatedLevel.Department), (created.TenantId, created.ParentId, created.Type));
        var children = await (await client.GetAsync($"/api/criteria/units?parentId={SeedIds.QuangNinh}&type=Department")).ReadAsync<List<EvaluatedUnit>>();
        Assert.Contains(children, unit => unit.Id == created.Id);
        var province = await (await client.GetAsync($"/api/criteria/units/{SeedIds.QuangNinh}")).ReadAsync<EvaluatedUnit>();
        Assert.Equal(("Tỉnh Quảng Ninh", SeedIds.ProvinceTenant), (province.Name, province.ProvinceTenantId));

        // Another province's unit stays "no such unit", for reading and as a parent.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/criteria/units/{SeedIds.BacGiang}")).StatusCode);
        var foreignParent = await (await client.PostJsonAsync("/api/criteria/units", new
        {
            code = code + "B", name = "Sở lạc", type = "Department", parentId = SeedIds.BacGiang, validFrom = "2026-01-01",
        })).ProblemAsync(400);
        Assert.Equal("No such unit.", foreignParent.GetProperty("errors").GetProperty("parentId")[0].GetString());
        var otherProvince = await (await fixture.Client(OtherProvinceAdmin).PostJsonAsync("/api/criteria/units", new
        {
            code, name = "Sở Hà Nội", type = "Department", parentId = SeedIds.QuangNinh, validFrom = "2026-01-01",
        })).ProblemAsync(400);
        Assert.True(otherProvince.GetProperty("errors").TryGetProperty("parentId", out _));
        // Only the Ministry says which tenant a province unit belongs to.
        var claim = await (await client.PostJsonAsync("/api/criteria/units", new
        {
            code = code + "P", name = "Tỉnh giả", type = "Province", validFrom = "2026-01-01", provinceTenantId = "quang-ninh",
        })).ProblemAsync(400);
        Assert.True(claim.GetProperty("errors").TryGetProperty("provinceTenantId", out _));
    }
}
