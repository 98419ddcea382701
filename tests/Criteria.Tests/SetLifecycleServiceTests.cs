using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ParPlatform.Criteria.ImportExport;
using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class SetLifecycleServiceTests(CriteriaServiceFixture fixture)
{
    [Fact]
    public async Task Invalid_set_is_refused_naming_every_offending_node_and_nothing_is_saved()
    {
        var client = fixture.Client(ProvinceAdmin);

        var problem = await (await client.PostJsonAsync("/api/criteria/sets", ValidationTests.Broken())).ProblemAsync(400);

        Assert.Equal("urn:par:criteria:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.All(["1.1", "2.5", "x.1", "2.1.1", "2.2", "set", "bands[1]", "bands"],
            key => Assert.True(errors.TryGetProperty(key, out _), $"no error for {key}: {errors}"));
        var sets = await (await client.GetAsync("/api/criteria/sets")).ReadAsync<List<JsonElement>>();
        Assert.DoesNotContain(sets, set => set.GetProperty("code").GetString() == "BROKEN");
    }

    [Fact]
    public async Task A_published_set_cannot_be_changed_through_any_endpoint()
    {
        var client = fixture.Client(ProvinceAdmin);
        var draft = await (await client.PostJsonAsync("/api/criteria/sets", DemoSets.Departments(2031) with { Code = "LIFE-2031" })).ReadAsync<CriteriaSet>();
        Assert.Equal(SetStatus.Draft, draft.Status);
        var published = await (await client.PostAsync($"/api/criteria/sets/{draft.Id}/publish", null)).ReadAsync<CriteriaSet>();
        Assert.Equal(SetStatus.Published, published.Status);
        var before = await client.GetStringAsync($"/api/criteria/sets/{draft.Id}/export");

        await AssertEveryEditRefusedAsync(client, published);
        var retired = await (await client.PostAsync($"/api/criteria/sets/{draft.Id}/retire", null)).ReadAsync<CriteriaSet>();
        Assert.Equal(SetStatus.Retired, retired.Status);
        await AssertEveryEditRefusedAsync(client, retired);
        await (await client.PostAsync($"/api/criteria/sets/{draft.Id}/retire", null)).ProblemAsync(409);
        await AssertEveryEditRefusedAsync(client, (await fixture.Client(ProvinceAdmin).GetFromJsonAsync<CriteriaSet>($"/api/criteria/sets/{SeedIds.DepartmentSet2024}", Json))!);

        Assert.Equal(before, await client.GetStringAsync($"/api/criteria/sets/{draft.Id}/export"));
        Assert.Equal(published.Version, (await client.GetFromJsonAsync<CriteriaSet>($"/api/criteria/sets/{draft.Id}", Json))!.Version);

        // Even a write that bypasses the API is refused by the database.
        await using var connection = new NpgsqlConnection(fixture.Host.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand($"UPDATE criteria_nodes SET max_points = 99 WHERE set_id = '{draft.Id}'", connection);
        await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
    }

    private static async Task AssertEveryEditRefusedAsync(HttpClient client, CriteriaSet set)
    {
        var changed = set.Definition with { Name = "Đổi tên" };
        var path = $"/api/criteria/sets/{set.Id}";
        var xlsx = new ByteArrayContent(SetExcel.Write(changed));
        xlsx.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        HttpResponseMessage[] attempts =
        [
            await client.PutAsJsonAsync(path, changed, Json),
            await client.PutAsync($"{path}/xlsx", xlsx),
            await client.DeleteAsync(path),
            await client.PostAsync($"{path}/publish", null),
        ];
        foreach (var attempt in attempts)
        {
            var problem = await attempt.ProblemAsync(409);
            Assert.Equal("urn:par:criteria:set-immutable", problem.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Set_reads_carry_an_etag_and_answer_304_while_it_holds()
    {
        var client = fixture.Client(ProvinceViewer);
        var first = await client.GetAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2024}");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("max-age", first.Headers.CacheControl!.ToString());

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/criteria/sets/{SeedIds.DepartmentSet2024}");
        request.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Tenants_see_only_their_sets_and_only_admins_write()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client(OtherProvinceAdmin).GetAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2024}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(MinistryClient).GetAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2024}")).StatusCode);
        // The national skeleton is a draft: the Ministry's own business until published.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client(ProvinceAdmin).GetAsync($"/api/criteria/sets/{SeedIds.NationalProvincialSkeleton}")).StatusCode);
        await (await fixture.Client(ProvinceViewer).PostJsonAsync("/api/criteria/sets", DemoSets.Departments(2040))).ProblemAsync(403);
        await (await fixture.Client(NationalAdmin).PostAsync($"/api/criteria/sets/{SeedIds.NationalProvincialSkeleton}/publish", null)).ProblemAsync(409);
        using var anonymous = fixture.Host.CreateRestClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/criteria/sets")).StatusCode);
    }

    /// <summary>Cloning last year's set for a new year takes that year in its code and name, unless the caller names them.</summary>
    [Fact]
    public async Task Clone_takes_the_target_year_in_code_and_name()
    {
        var client = fixture.Client(ProvinceAdmin);

        var clone = await (await client.PostJsonAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2025}/clone", new { year = 2027 })).ReadAsync<CriteriaSet>();
        var named = await (await client.PostJsonAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2025}/clone",
            new { year = 2028, code = "QN-SO-KHAC", name = "Bộ tiêu chí riêng" })).ReadAsync<CriteriaSet>();

        Assert.Equal(("QN-SO-2027", DemoSets.Departments(2027).Name, 2027), (clone.Definition.Code, clone.Definition.Name, clone.Definition.Year));
        Assert.EndsWith("năm 2027 (minh họa)", clone.Definition.Name);
        Assert.Equal(("QN-SO-KHAC", "Bộ tiêu chí riêng", 2028), (named.Definition.Code, named.Definition.Name, named.Definition.Year));
        await client.DeleteAsync($"/api/criteria/sets/{clone.Id}");
        await client.DeleteAsync($"/api/criteria/sets/{named.Id}");
    }

    [Fact]
    public async Task Clone_and_diff_show_added_and_reweighted_items()
    {
        var client = fixture.Client(ProvinceAdmin);
        var clone = await (await client.PostJsonAsync($"/api/criteria/sets/{SeedIds.DepartmentSet2024}/clone", new { year = 2026, code = "QN-SO-2026" })).ReadAsync<CriteriaSet>();
        Assert.Equal((SetStatus.Draft, 2026, SeedIds.DepartmentSet2024), (clone.Status, clone.Definition.Year, clone.ClonedFrom!.Value));

        var edited = DemoSets.Departments(2025) with { Code = "QN-SO-2026", Year = 2026 };
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/criteria/sets/{clone.Id}") { Content = JsonContent.Create(edited, options: Json) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"stale\""));
        await (await client.SendAsync(stale)).ProblemAsync(412);
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/criteria/sets/{clone.Id}") { Content = JsonContent.Create(edited, options: Json) };
        put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(clone.ETag));
        var saved = await (await client.SendAsync(put)).ReadAsync<CriteriaSet>();
        Assert.Equal(clone.Version + 1, saved.Version);

        var diff = await (await client.GetAsync($"/api/criteria/sets/{clone.Id}/diff?from={SeedIds.DepartmentSet2024}")).ReadAsync<SetDiff>();

        Assert.Equal(["7.3.4"], diff.Added.Select(item => item.Code));
        Assert.Contains(diff.Reweighted, item => item is { Code: "1.5.1", FromMaxPoints: 1.5m, ToMaxPoints: 0.5m });
        Assert.Contains(diff.Reweighted, item => item is { Code: "7", FromMaxPoints: 13m, ToMaxPoints: 14m });
        Assert.Empty(diff.Removed);

        // A draft can still be thrown away.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/criteria/sets/{clone.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/criteria/sets/{clone.Id}")).StatusCode);
    }
}
