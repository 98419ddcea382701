using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Criteria.Seed;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class LineageServiceTests(CriteriaServiceFixture fixture)
{
    [Fact]
    public async Task Two_merged_provinces_resolve_forward_and_backward_over_rest()
    {
        var client = fixture.Client(NationalAdmin);

        var forward = await client.GetFromJsonAsync<List<JsonElement>>($"/api/criteria/units/{SeedIds.BacGiang}/lineage?direction=forward", Json);
        var backward = await client.GetFromJsonAsync<List<JsonElement>>($"/api/criteria/units/{SeedIds.BacNinhFrom2025}/lineage?direction=backward", Json);

        var merged = Assert.Single(forward!);
        Assert.Equal(SeedIds.BacNinhFrom2025, merged.GetProperty("unit").GetProperty("id").GetGuid());
        Assert.Equal(("Merge", "2025-07-01"), (merged.GetProperty("kind").GetString(), merged.GetProperty("effectiveOn").GetString()));
        Assert.Equal(new[] { SeedIds.BacNinhBefore2025, SeedIds.BacGiang }.Order(), backward!.Select(link => link.GetProperty("unit").GetProperty("id").GetGuid()).Order());
        // Quảng Ninh was not merged: it is its own continuation.
        var same = Assert.Single((await client.GetFromJsonAsync<List<JsonElement>>($"/api/criteria/units/{SeedIds.QuangNinh}/lineage", Json))!);
        Assert.Equal(JsonValueKind.Null, same.GetProperty("kind").ValueKind);
    }

    [Fact]
    public async Task A_district_dissolved_into_communes_resolves_over_grpc()
    {
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());
        var headers = ProvinceAdmin.GrpcHeaders();

        var communes = await grpc.ResolveLineageAsync(new() { UnitId = SeedIds.TienYenDistrict.ToString(), Direction = LineageDirection.Forward }, headers);
        var origin = await grpc.ResolveLineageAsync(new() { UnitId = SeedIds.XaDienXa.ToString(), Direction = LineageDirection.Backward }, headers);

        Assert.Equal(new[] { "Xã Hải Lạng", "Xã Tiên Yên", "Xã Đông Ngũ", "Xã Điền Xá" }.Order(), communes.Units.Select(u => u.UnitName).Order());
        Assert.All(communes.Units, link => Assert.Equal(("split", new DateTime(2025, 7, 1)), (link.Event, link.EffectiveAt.ToDateTime())));
        Assert.Equal([SeedIds.TienYenDistrict.ToString()], origin.Units.Select(u => u.UnitId));

        // The dissolved district's validity ended the day before; no district is valid after 1 July 2025.
        var client = fixture.Client(ProvinceAdmin);
        var tienYen = await client.GetFromJsonAsync<JsonElement>($"/api/criteria/units/{SeedIds.TienYenDistrict}", Json);
        Assert.Equal("2025-06-30", tienYen.GetProperty("validTo").GetString());
        Assert.Empty((await client.GetFromJsonAsync<List<JsonElement>>("/api/criteria/units?type=District&at=2025-08-01", Json))!);
        Assert.Equal(4, (await client.GetFromJsonAsync<List<JsonElement>>("/api/criteria/units?type=District&at=2025-06-30", Json))!.Count);
    }

    [Fact]
    public async Task Lineage_recorded_through_the_api_is_resolved()
    {
        var client = fixture.Client(new TestCaller("admin-lineage", PlatformRoles.ProvincialAdmin, "lineage-province"));
        async Task<Guid> Unit(string code, string name, string from) =>
            (await (await client.PostJsonAsync("/api/criteria/units", new { code, name, type = "Commune", validFrom = from })).ReadAsync<JsonElement>()).GetProperty("id").GetGuid();
        var a = await Unit("A", "Xã A", "2020-01-01");
        var b = await Unit("B", "Xã B", "2020-01-01");
        var ab = await Unit("AB", "Xã AB", "2025-07-01");

        await (await client.PostJsonAsync("/api/criteria/lineage", new { kind = "Split", effectiveOn = "2025-07-01", fromUnitIds = new[] { a, b }, toUnitIds = new[] { ab } })).ProblemAsync(400);
        await (await client.PostJsonAsync("/api/criteria/lineage", new { kind = "Merge", effectiveOn = "2025-07-01", fromUnitIds = new[] { a, b }, toUnitIds = new[] { ab } })).ReadAsync<JsonElement>();

        var forward = await client.GetFromJsonAsync<List<JsonElement>>($"/api/criteria/units/{a}/lineage", Json);
        Assert.Equal(ab, Assert.Single(forward!).GetProperty("unit").GetProperty("id").GetGuid());
        Assert.Equal("2025-06-30", (await client.GetFromJsonAsync<JsonElement>($"/api/criteria/units/{b}", Json)).GetProperty("validTo").GetString());
        // The registry page reads every event of the tenant at once; another province lists none of them, a national
        // caller lists them when it names the tenant.
        var events = (await client.GetFromJsonAsync<List<JsonElement>>("/api/criteria/lineage", Json))!;
        var merger = Assert.Single(events);
        Assert.Equal(("Merge", "2025-07-01"), (merger.GetProperty("kind").GetString(), merger.GetProperty("effectiveOn").GetString()));
        Assert.Equal(new[] { a, b }.Order(), merger.GetProperty("fromUnitIds").EnumerateArray().Select(id => id.GetGuid()).Order());
        Assert.Equal([ab], merger.GetProperty("toUnitIds").EnumerateArray().Select(id => id.GetGuid()));
        var otherProvince = (await fixture.Client(ProvinceAdmin).GetFromJsonAsync<List<JsonElement>>("/api/criteria/lineage?tenant=lineage-province", Json))!;
        Assert.DoesNotContain(otherProvince, e => e.GetProperty("id").GetGuid() == merger.GetProperty("id").GetGuid());
        var national = (await fixture.Client(NationalAdmin).GetFromJsonAsync<List<JsonElement>>("/api/criteria/lineage?tenant=lineage-province", Json))!;
        Assert.Equal(merger.GetProperty("id").GetGuid(), Assert.Single(national).GetProperty("id").GetGuid());
        // Another province cannot see these units.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await fixture.Client(ProvinceAdmin).GetAsync($"/api/criteria/units/{a}")).StatusCode);
    }
}
