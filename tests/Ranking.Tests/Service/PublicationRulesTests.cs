using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts.Ranking.V1;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Testing;
using static ParPlatform.Ranking.Tests.Service.LiveRankingTests;

namespace ParPlatform.Ranking.Tests.Service;

/// <summary>When a round may be published, and how ministry systems find what was published.</summary>
[Collection(RankingServiceCollection.Name)]
public class PublicationRulesTests(RankingServiceFixture fixture)
{
    private static readonly TestCaller NationalAdmin = new("bo-quantri", PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant);
    private static readonly TestCaller Appraiser = new("thamdinh-db", PlatformRoles.Appraiser, RankingServiceFixture.Tenant);
    private static readonly TestCaller Viewer = new("xem-db", PlatformRoles.Viewer, RankingServiceFixture.Tenant);

    private readonly HttpClient _admin = fixture.Client(RankingServiceFixture.ProvinceAdmin);
    private readonly HttpClient _ministry = fixture.Client(RankingServiceFixture.MinistryClient);

    [Fact]
    public async Task A_round_is_published_only_when_every_unit_is_finalised_or_excluded_with_a_reason()
    {
        var round = fixture.AddRound(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo", "Huyện Tiên Yên");
        await fixture.Bus.Publish(round.Appraisal("Huyện Điện Biên", 1, 30m, 20m));
        await fixture.Bus.Publish(round.Survey("Huyện Điện Biên", 1, 80m));
        await fixture.Bus.Publish(round.Appraisal("Huyện Tuần Giáo", 1, 20m, 20m)); // finalised, no survey points yet
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows.Count(row => row.Result.TotalPoints is 78m or 40m) == 2);
        // Tiên Yên has not even started: nothing published, and the 409 names it.
        var refused = await Problem(await PublishAsync(round, null), HttpStatusCode.Conflict, "urn:par:ranking:publication-incomplete");
        var blocking = refused.GetProperty("blockingUnits").EnumerateArray().ToList();
        Assert.Equal([(round.Units["Huyện Tiên Yên"], "H03", "Huyện Tiên Yên", "not-finalised")],
            blocking.Select(unit => (unit.GetProperty("unitId").GetGuid(), unit.GetProperty("code").GetString(),
                unit.GetProperty("name").GetString(), unit.GetProperty("reason").GetString())));
        Assert.Contains("Huyện Tiên Yên", refused.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _ministry.GetAsync($"api/ranking/rounds/{round.RoundId}/publications/latest")).StatusCode);

        // An exclusion needs a reason and a unit of the round.
        var blank = await Problem(await PublishAsync(round, new { exclusions = new[] { new { unitId = round.Units["Huyện Tiên Yên"], reason = " " } } }),
            HttpStatusCode.BadRequest, "urn:par:ranking:invalid-publication-request");
        Assert.True(blank.GetProperty("errors").TryGetProperty("exclusions[0].reason", out _));
        await Problem(await PublishAsync(round, new { exclusions = new[] { new { unitId = Guid.NewGuid(), reason = "Không có" } } }),
            HttpStatusCode.BadRequest, "urn:par:ranking:invalid-publication-request");

        var response = await PublishAsync(round,
            new { exclusions = new[] { new { unitId = round.Units["Huyện Tiên Yên"], reason = "Giải thể từ 01/07/2025" } } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var published = await ReadAsync<PublishedSnapshot>(await _ministry.GetAsync($"api/ranking/rounds/{round.RoundId}/publications/latest"));

        // The table ranks the two finalised units, marks the one without survey points, and lists the excluded one.
        Assert.Equal([("H01", 1, false), ("H02", 2, true)], published.Table.Rows.Select(row => (row.UnitCode, row.Rank, row.Incomplete)));
        Assert.Equal(["survey"], published.Table.Rows[1].Missing);
        Assert.Empty(published.Table.Rows[0].Missing!);
        Assert.Equal([new Ranking.Scoring.ExcludedUnit(round.Units["Huyện Tiên Yên"], "H03", "Huyện Tiên Yên", "Giải thể từ 01/07/2025")], published.Table.Excluded);
        Assert.Equal(2, published.Table.Statistics.Count);
        Assert.Null(published.EarlyPublication);
        // The exports mark them too.
        var csv = await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/latest/table.csv");
        Assert.Contains(";H02;Huyện Tuần Giáo;", csv);
        Assert.Contains(";Chưa có điểm điều tra XHH\r\n", csv);
        Assert.Contains(";H03;Huyện Tiên Yên;", csv);
        Assert.EndsWith(";Không xếp hạng: Giải thể từ 01/07/2025\r\n", csv);
    }

    [Fact]
    public async Task Publishing_before_the_rounds_date_needs_an_administrators_reason_which_is_kept()
    {
        var publicationAt = fixture.Clock.GetUtcNow().AddDays(30);
        var round = fixture.AddRound(2021, null, RankingServiceFixture.Named("Huyện Mường Chà"), publicationAt: publicationAt);
        await fixture.Bus.Publish(round.Appraisal("Huyện Mường Chà", 1, 30m, 20m));
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows.Count == 1);

        var early = await Problem(await PublishAsync(round, null), HttpStatusCode.Conflict, "urn:par:ranking:publication-too-early");
        Assert.Equal(publicationAt, early.GetProperty("publicationAt").GetDateTimeOffset());
        await Problem(await PublishAsync(round, new { earlyPublicationReason = "" }), HttpStatusCode.BadRequest, "urn:par:ranking:invalid-publication-request");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await fixture.Client(Appraiser).PostAsJsonAsync($"api/ranking/rounds/{round.RoundId}/publications", new { earlyPublicationReason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _ministry.GetAsync($"api/ranking/rounds/{round.RoundId}/publications/latest")).StatusCode);

        var response = await PublishAsync(round, new { earlyPublicationReason = "Hội nghị sơ kết của Tỉnh ủy ngày 25/01" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var published = await ReadAsync<PublishedSnapshot>(await _ministry.GetAsync($"api/ranking/rounds/{round.RoundId}/publications/latest"));
        Assert.Equal(new Live.EarlyPublication("admin-db", fixture.Clock.GetUtcNow(), "Hội nghị sơ kết của Tỉnh ủy ngày 25/01", publicationAt),
            published.EarlyPublication);
        await using var connection = await fixture.OpenDatabaseAsync();
        Assert.Equal(("admin-db", "Hội nghị sơ kết của Tỉnh ủy ngày 25/01"), await connection.QuerySingleAsync<(string, string)>(
            "SELECT published_by, early_reason FROM published_snapshots WHERE round_id = @RoundId", new { round.RoundId }));

        // Once the date has come, no reason is needed (the shared clock only moves forward).
        fixture.Clock.Advance(TimeSpan.FromDays(31));
        var onTime = await ReadAsync<PublishedSnapshot>(await PublishAsync(round, null));
        Assert.Equal((2, (Live.EarlyPublication?)null), (onTime.Version, onTime.EarlyPublication));
    }

    [Fact]
    public async Task Ministry_systems_list_the_published_rounds_and_provinces_only_their_own()
    {
        var group = $"departments-{Guid.NewGuid():N}";
        var first = await ScoredRoundAsync(2021, RankingServiceFixture.Tenant, group);
        var next = await ScoredRoundAsync(2022, RankingServiceFixture.Tenant, group);
        var hanoi = await ScoredRoundAsync(2021, "ha-noi", group);
        var unpublished = fixture.AddRound(2021, null, RankingServiceFixture.Named("Sở Nội vụ"), rankingGroup: group);
        foreach (var (round, publisher) in new[] { (first, _admin), (first, _admin), (next, _admin), (hanoi, fixture.Client(RankingServiceFixture.OtherProvinceAdmin)) })
        {
            Assert.Equal(HttpStatusCode.Created, (await publisher.PostAsync($"api/ranking/rounds/{round.RoundId}/publications", null)).StatusCode);
        }

        async Task<List<(Guid, string, int, int, int)>> ListAsync(HttpClient client, string query) =>
            (await ReadAsync<List<PublicationListing>>(await client.GetAsync($"api/ranking/rounds?rankingGroup={group}{query}")))
            .Select(p => (p.RoundId, p.TenantId, p.Year, p.LatestVersion, p.Versions)).ToList();

        (Guid, string, int, int, int) firstRow = (first.RoundId, "dien-bien", 2021, 2, 2), nextRow = (next.RoundId, "dien-bien", 2022, 1, 1),
            hanoiRow = (hanoi.RoundId, "ha-noi", 2021, 1, 1);
        // Ministry client and national admin: every tenant, newest year first; never the unpublished round.
        Assert.Equal([nextRow, firstRow, hanoiRow], await ListAsync(_ministry, ""));
        Assert.Equal([nextRow, firstRow, hanoiRow], await ListAsync(fixture.Client(NationalAdmin), ""));
        Assert.Equal([firstRow, hanoiRow], await ListAsync(_ministry, "&year=2021"));
        Assert.Equal([hanoiRow], await ListAsync(_ministry, "&tenant=ha-noi"));
        Assert.DoesNotContain(unpublished.RoundId, (await ListAsync(_ministry, "")).Select(row => row.Item1));
        // A province's callers: their own tenant's only; asking for another tenant is refused.
        Assert.Equal([nextRow, firstRow], await ListAsync(_admin, ""));
        Assert.Equal([nextRow, firstRow], await ListAsync(fixture.Client(Viewer), ""));
        Assert.Equal([hanoiRow], await ListAsync(fixture.Client(RankingServiceFixture.OtherProvinceAdmin), ""));
        await Problem(await _admin.GetAsync($"api/ranking/rounds?tenant=ha-noi"), HttpStatusCode.Forbidden, "urn:par:ranking:forbidden");
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Host.CreateRestClient().GetAsync("api/ranking/rounds")).StatusCode);

        // The same over gRPC.
        var grpc = new RankingService.RankingServiceClient(fixture.Host.CreateGrpcChannel());
        var listed = await grpc.ListPublicationsAsync(new ListPublicationsRequest { RankingGroup = group }, RankingServiceFixture.MinistryClient.GrpcHeaders());
        Assert.Equal([nextRow, firstRow, hanoiRow],
            listed.Publications.Select(p => (Guid.Parse(p.RoundId), p.TenantId, p.Year, p.LatestVersion, p.Versions)));
        var own = await grpc.ListPublicationsAsync(new ListPublicationsRequest { RankingGroup = group, Year = 2022 }, RankingServiceFixture.ProvinceAdmin.GrpcHeaders());
        Assert.Equal([next.RoundId.ToString()], own.Publications.Select(p => p.RoundId));
        var other = await Assert.ThrowsAsync<RpcException>(() => grpc.ListPublicationsAsync(
            new ListPublicationsRequest { TenantId = "ha-noi" }, RankingServiceFixture.ProvinceAdmin.GrpcHeaders()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => grpc.ListPublicationsAsync(new ListPublicationsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    private async Task<TestRound> ScoredRoundAsync(int year, string tenant, string group)
    {
        var round = fixture.AddRound(year, null, RankingServiceFixture.Named("Sở Tư pháp"), tenant: tenant, rankingGroup: group);
        await fixture.Bus.Publish(round.Appraisal("Sở Tư pháp", 1, 30m, 20m));
        var reader = tenant == RankingServiceFixture.Tenant ? _admin : fixture.Client(RankingServiceFixture.OtherProvinceAdmin);
        await Eventually.TrueAsync(async () =>
            (await ReadAsync<GroupTable>(await reader.GetAsync($"api/ranking/rounds/{round.RoundId}/live"))).Rows.Count == 1);
        return round;
    }

    private Task<HttpResponseMessage> PublishAsync(TestRound round, object? body) =>
        body is null
            ? _admin.PostAsync($"api/ranking/rounds/{round.RoundId}/publications", null)
            : _admin.PostAsJsonAsync($"api/ranking/rounds/{round.RoundId}/publications", body);

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(type, problem.GetProperty("type").GetString());
        return problem;
    }

    private async Task<GroupTable> LiveAsync(TestRound round) =>
        await ReadAsync<GroupTable>(await _admin.GetAsync($"api/ranking/rounds/{round.RoundId}/live"));
}
