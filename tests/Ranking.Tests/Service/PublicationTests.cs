using System.Net;
using Dapper;
using Grpc.Core;
using MassTransit;
using MiniExcelLibs;
using Npgsql;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Contracts.Ranking.V1;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;
using ParPlatform.Testing;
using static ParPlatform.Ranking.Tests.Service.LiveRankingTests;

namespace ParPlatform.Ranking.Tests.Service;

[Collection(RankingServiceCollection.Name)]
public class PublicationTests(RankingServiceFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(RankingServiceFixture.ProvinceAdmin);
    private readonly HttpClient _ministry = fixture.Client(RankingServiceFixture.MinistryClient);

    [Fact]
    public async Task A_published_snapshot_never_changes_when_later_events_arrive()
    {
        var round = await ScoredRoundAsync(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo");
        var first = await PublishAsync(round);
        var v1 = await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/1");

        await fixture.Bus.Publish(round.Appraisal("Huyện Điện Biên", 2, 40m, 25m));
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows[0].Result.TotalPoints == 93.8785m);

        Assert.Equal(v1, await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/1"));
        Assert.Equal(v1, await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/latest"));
        Assert.Equal((1, 80.2805m), (first.Version, first.Table.Rows[0].Result.TotalPoints));

        var second = await PublishAsync(round);
        Assert.Equal((2, 93.8785m), (second.Version, second.Table.Rows[0].Result.TotalPoints));
        Assert.Equal(v1, await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/1"));

        await using var connection = await fixture.OpenDatabaseAsync();
        var change = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "UPDATE published_units SET total_points = 100 WHERE round_id = @RoundId", new { round.RoundId }));
        Assert.Contains("immutable", change.MessageText);
        // RankingPublished left through the outbox, once per publication.
        await Eventually.TrueAsync(async () => await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%RankingPublished%' AND body->>'RoundId' = @id AND dispatched_at IS NOT NULL",
            new { id = round.RoundId.ToString() }) == 2);
    }

    [Fact]
    public async Task Ministry_clients_read_published_rankings_over_grpc_including_a_stream_of_the_group()
    {
        var round = await ScoredRoundAsync(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo");
        var client = new RankingService.RankingServiceClient(fixture.Host.CreateGrpcChannel());
        var request = new GetPublishedRankingRequest { RoundId = round.RoundId.ToString() };
        var ministry = RankingServiceFixture.MinistryClient.GrpcHeaders();

        var before = await Assert.ThrowsAsync<RpcException>(() => client.GetPublishedRankingAsync(request, ministry).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, before.StatusCode);
        await PublishAsync(round);

        var ranking = await client.GetPublishedRankingAsync(request, ministry);
        using var stream = client.StreamPublishedUnits(request, ministry);
        var units = await stream.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal((1, "districts", 2), (ranking.Version, ranking.RankingGroup, ranking.Statistics.Count));
        Assert.Equal([(1, "Huyện Điện Biên", "80.2805"), (2, "Huyện Tuần Giáo", "75")], units.Select(u => (u.Rank, u.UnitName, u.TotalPoints)));
        Assert.Equal(("79.08", "82.51", "Khá"), (units[0].AppraisalPercent, units[0].SurveyPercent, units[0].Band));
        var other = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetPublishedRankingAsync(request, RankingServiceFixture.OtherProvinceAdmin.GrpcHeaders()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.GetPublishedRankingAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task Exports_print_vietnamese_headers_and_vi_VN_figures()
    {
        var round = await ScoredRoundAsync(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo");
        await PublishAsync(round);
        var path = $"api/ranking/rounds/{round.RoundId}/publications/latest";

        var csv = await _ministry.GetByteArrayAsync($"{path}/table.csv");
        var text = System.Text.Encoding.UTF8.GetString(csv);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        Assert.StartsWith("\uFEFFXếp hạng,Đơn vị,Tổng điểm,Điểm tối đa áp dụng,Chỉ số CCHC,", text);
        Assert.Contains("1,Huyện Điện Biên,\"80,28\",\"100,00\",\"80,28%\",\"51,40\",\"79,08%\",\"28,88\",\"82,51%\"", text);

        var xlsx = await _ministry.GetByteArrayAsync($"{path}/table.xlsx");
        var rows = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(("Huyện Điện Biên", "80,28%", "Khá"), (rows[0]["Đơn vị"], rows[0]["Chỉ số CCHC"], rows[0]["Xếp loại"]));
        Assert.Equal("79,08%", rows[0]["1. Công tác chỉ đạo, điều hành CCHC"]);

        var scorecard = await _ministry.GetStringAsync($"{path}/units/{round.Units["Huyện Điện Biên"]}/scorecard.csv");
        Assert.Contains("Mã,Nội dung,Điểm tối đa,Điểm đạt,Tỷ lệ,Phương pháp,Ghi chú", scorecard);
        Assert.Contains("2.1.1,    Mức độ hài lòng,\"35,00\",\"28,88\",\"82,51%\",Điều tra xã hội học,", scorecard);
        Assert.Contains(",Tổng điểm,\"100,00\",\"80,28\",\"80,28%\"", scorecard);
        var card = await _ministry.GetByteArrayAsync($"{path}/units/{round.Units["Huyện Điện Biên"]}/scorecard.xlsx");
        Assert.Equal("PK"u8.ToArray(), card[..2]);

        var unpublished = await _ministry.GetAsync($"api/ranking/rounds/{Guid.NewGuid()}/publications/latest/table.csv");
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
        Assert.Contains("urn:par:ranking:not-published", await unpublished.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Year_over_year_follows_a_rename_to_last_years_published_result()
    {
        var (oldId, newId, stayingId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var lastYear = fixture.AddRound(2020, null, new Dictionary<string, Guid> { ["Huyện Mường Lay"] = oldId, ["Huyện Tủa Chùa"] = stayingId });
        await fixture.Bus.Publish(lastYear.Appraisal("Huyện Mường Lay", 1, 30m, 20m));   // 50 + 28 = 78
        await fixture.Bus.Publish(lastYear.Survey("Huyện Mường Lay", 1, 80m));
        await fixture.Bus.Publish(lastYear.Appraisal("Huyện Tủa Chùa", 1, 40m, 25m));    // 65 + 35 = 100
        await fixture.Bus.Publish(lastYear.Survey("Huyện Tủa Chùa", 1, 100m));
        await Eventually.TrueAsync(async () => (await LiveAsync(lastYear)).Rows.Count(r => r.Result.Survey.Points > 0) == 2);
        await PublishAsync(lastYear);

        var thisYear = fixture.AddRound(2021, lastYear.RoundId.ToString(),
            new Dictionary<string, Guid> { ["Thị xã Mường Lay"] = newId, ["Huyện Tủa Chùa"] = stayingId });
        fixture.Criteria.Data.Predecessors[newId.ToString()] = [new LineageLink { UnitId = oldId.ToString(), UnitName = "Huyện Mường Lay", Event = "rename" }];
        await fixture.Bus.Publish(thisYear.Appraisal("Thị xã Mường Lay", 1, 30.402m, 21m));
        await fixture.Bus.Publish(thisYear.Survey("Thị xã Mường Lay", 1, 82.51m));
        await fixture.Bus.Publish(thisYear.Appraisal("Huyện Tủa Chùa", 1, 20m, 20m));
        var table = await Eventually.GetAsync(async () => await LiveAsync(thisYear) is { } t && t.Rows.Count(r => r.Result.Survey.Points > 0 || r.Result.TotalPoints == 40m) == 2 ? t : null);

        var renamed = table.Rows.Single(r => r.Result.UnitId == newId);
        Assert.Equal(("rename", 78m, 2.2805m, (int?)1), (renamed.Change!.Basis, renamed.Change.PreviousPoints, renamed.Change.PointsChange, renamed.Change.RankChange));
        var staying = table.Rows.Single(r => r.Result.UnitId == stayingId);
        Assert.Equal(("same", -60m, (int?)-1), (staying.Change!.Basis, staying.Change.PointsChange, staying.Change.RankChange));
    }

    /// <summary>Điện Biên 80.2805 (65/35: 79.08% and 82.51%), Tuần Giáo 75.</summary>
    private async Task<TestRound> ScoredRoundAsync(int year, string? previous, string first, string second)
    {
        var round = fixture.AddRound(year, previous, first, second);
        await fixture.Bus.Publish(round.Appraisal(first, 1, 30.402m, 21m));
        await fixture.Bus.Publish(round.Survey(first, 1, 82.51m));
        await fixture.Bus.Publish(round.Appraisal(second, 1, 20m, 20m));
        await fixture.Bus.Publish(round.Survey(second, 1, 100m));
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows.Count(r => r.Result.Survey.Points > 0) == 2);
        return round;
    }

    private async Task<PublishedSnapshot> PublishAsync(TestRound round)
    {
        var response = await _admin.PostAsync($"api/ranking/rounds/{round.RoundId}/publications", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync<PublishedSnapshot>(response);
    }

    private async Task<GroupTable> LiveAsync(TestRound round) =>
        await ReadAsync<GroupTable>(await _admin.GetAsync($"api/ranking/rounds/{round.RoundId}/live"));
}
