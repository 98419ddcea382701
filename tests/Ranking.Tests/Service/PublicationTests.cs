using System.Net;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using MassTransit;
using MiniExcelLibs;
using Npgsql;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Contracts.Ranking.V1;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;
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
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows[0].Result.TotalPoints == 93.88m);

        Assert.Equal(v1, await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/1"));
        Assert.Equal(v1, await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/latest"));
        Assert.Equal((1, 80.28m), (first.Version, first.Table.Rows[0].Result.TotalPoints));

        var second = await PublishAsync(round);
        Assert.Equal((2, 93.88m), (second.Version, second.Table.Rows[0].Result.TotalPoints));
        Assert.Equal(v1, await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/1"));

        await using var connection = await fixture.OpenDatabaseAsync();
        var change = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "UPDATE published_units SET total_points = 100 WHERE round_id = @RoundId", new { round.RoundId }));
        Assert.Contains("immutable", change.MessageText);
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
        Assert.Equal([(1, "Huyện Điện Biên", "80.28"), (2, "Huyện Tuần Giáo", "75.00")], units.Select(u => (u.Rank, u.UnitName, u.TotalPoints)));
        Assert.Equal(("79.08", "82.51", "Khá"), (units[0].AppraisalPercent, units[0].SurveyPercent, units[0].Band));
        var other = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetPublishedRankingAsync(request, RankingServiceFixture.OtherProvinceAdmin.GrpcHeaders()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.GetPublishedRankingAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task Exports_hold_numbers_as_numbers_name_each_unit_and_read_back_to_the_published_figures()
    {
        var round = await ScoredRoundAsync(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo");
        await PublishAsync(round);
        var path = $"api/ranking/rounds/{round.RoundId}/publications/latest";
        var published = await ReadAsync<PublishedSnapshot>(await _ministry.GetAsync(path));
        var publishedRows = JsonSerializer.Deserialize<JsonElement>(await _ministry.GetStringAsync(path)).GetProperty("table").GetProperty("rows");

        // CSV: UTF-8 with BOM, semicolons, decimal commas (what Excel in vi-VN opens into columns and numbers).
        var csv = await _ministry.GetByteArrayAsync($"{path}/table.csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = ReadCsv(System.Text.Encoding.UTF8.GetString(csv[3..]));
        Assert.Equal(["Xếp hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC", "Điểm thẩm định", "Tỷ lệ thẩm định",
            "Điểm điều tra XHH", "Tỷ lệ điều tra XHH"], lines[0][..10]);
        Assert.Equal(["1", "H01", "Huyện Điện Biên", "80,28", "100,00", "80,28%", "51,40", "79,08%", "28,88", "82,51%"], lines[1][..10]);

        // XLSX: numeric cells (the rank too), percentages as fractions with a percent format; sheet names with diacritics.
        var xlsx = await _ministry.GetByteArrayAsync($"{path}/table.xlsx");
        Assert.Equal(["Xếp hạng 2021", "Thống kê"], MiniExcel.GetSheetNames(new MemoryStream(xlsx)));
        var rows = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "Xếp hạng 2021").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal((1d, "H01", "Huyện Điện Biên", 80.28d, 0.8028d, "Khá"),
            (rows[0]["Xếp hạng"], rows[0]["Mã đơn vị"], rows[0]["Đơn vị"], rows[0]["Tổng điểm"], rows[0]["Chỉ số CCHC"], rows[0]["Xếp loại"]));
        Assert.Equal(0.7908d, rows[0]["1. Công tác chỉ đạo, điều hành CCHC"]);
        Assert.Equal((2d, "H02", 75d), (rows[1]["Xếp hạng"], rows[1]["Mã đơn vị"], rows[1]["Tổng điểm"]));
        var styles = ReadEntry(xlsx, "xl/styles.xml");
        Assert.Contains("formatCode=\"#,##0.00\"", styles);
        Assert.Contains("numFmtId=\"10\"", styles); // 0.00%: Excel shows "80,28%" in vi-VN
        var statistics = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "Thống kê").Cast<IDictionary<string, object>>()
            .ToDictionary(row => $"{row["Chỉ tiêu"]}|{row["Nội dung"]}", row => row["Giá trị"]);
        Assert.Equal(2d, statistics["Số đơn vị xếp hạng|"]);
        Assert.Equal(0.7764d, statistics["Chỉ số CCHC trung bình|"]); // (80.2805 + 75) / 2 = 77.64025
        Assert.Equal(0.8028d, statistics["Cao nhất|Huyện Điện Biên"]);

        // Both read back to exactly the published figures, unit by unit.
        foreach (var (row, i) in published.Table.Rows.Select((row, i) => (row, i)))
        {
            var result = row.Result;
            var json = publishedRows[i].GetProperty("result");
            decimal[] expected = [row.Rank, .. new[] { "totalPoints", "applicableMaxPoints", "indexPercent" }.Select(name => json.GetProperty(name).GetDecimal()),
                .. new[] { "appraisal", "survey" }.SelectMany(part => new[] { "points", "percent" }.Select(name => json.GetProperty(part).GetProperty(name).GetDecimal()))];
            var fromCsv = lines[i + 1].Where((_, column) => column is 0 or >= 3 and <= 9)
                .Select(cell => decimal.Parse(cell.TrimEnd('%'), System.Globalization.NumberStyles.Number, Figures.Vietnamese)).ToArray();
            Assert.Equal(expected, fromCsv);
            var fromXlsx = new[] { "Xếp hạng", "Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC", "Điểm thẩm định", "Tỷ lệ thẩm định", "Điểm điều tra XHH", "Tỷ lệ điều tra XHH" }
                .Select(header => (decimal)Convert.ToDouble(rows[i][header]) * (header.StartsWith("Tỷ lệ") || header == "Chỉ số CCHC" ? 100 : 1))
                .Select(value => Math.Round(value, 4)).ToArray();
            Assert.Equal(expected, fromXlsx);
            Assert.Equal((row.UnitCode, result.UnitName), (lines[i + 1][1], lines[i + 1][2]));
        }

        // The scorecard names its unit.
        var unitPath = $"{path}/units/{round.Units["Huyện Điện Biên"]}";
        var scorecard = ReadCsv((await _ministry.GetStringAsync($"{unitPath}/scorecard.csv")).TrimStart('\uFEFF'));
        Assert.Equal(["Mã", "Nội dung", "Điểm tối đa", "Điểm đạt", "Tỷ lệ", "Phương pháp", "Ghi chú"], scorecard[0]);
        Assert.Contains(["2.1.1", "    Mức độ hài lòng", "35,00", "28,88", "82,51%", "Điều tra xã hội học", ""], scorecard);
        Assert.Contains(["", "Tổng điểm", "100,00", "80,28", "80,28%", "", "Huyện Điện Biên. Xếp loại: Khá; xếp hạng: 1"], scorecard);
        var card = await _ministry.GetAsync($"{unitPath}/scorecard.xlsx");
        Assert.Contains("diem-H01-2021-v1.xlsx", card.Content.Headers.ContentDisposition?.ToString());
        var cardBytes = await card.Content.ReadAsByteArrayAsync();
        Assert.Equal(["Điểm 2021", "Đơn vị"], MiniExcel.GetSheetNames(new MemoryStream(cardBytes)));
        var unit = new MemoryStream(cardBytes).Query(useHeaderRow: true, sheetName: "Đơn vị").Cast<IDictionary<string, object>>()
            .ToDictionary(row => (string)row["Thông tin"], row => row["Giá trị"]);
        Assert.Equal(("H01", "Huyện Điện Biên", 1d, 0.8028d), (unit["Mã đơn vị"], unit["Đơn vị"], unit["Xếp hạng"], unit["Chỉ số CCHC"]));
        var items = new MemoryStream(cardBytes).Query(useHeaderRow: true, sheetName: "Điểm 2021").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal((35d, 28.88d, 0.8251d), (items.Single(r => (string)r["Mã"] == "2.1.1")["Điểm tối đa"], items.Single(r => (string)r["Mã"] == "2.1.1")["Điểm đạt"],
            items.Single(r => (string)r["Mã"] == "2.1.1")["Tỷ lệ"]));

        var unpublished = await _ministry.GetAsync($"api/ranking/rounds/{Guid.NewGuid()}/publications/latest/table.csv");
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
        Assert.Contains("urn:par:ranking:not-published", await unpublished.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rest_and_grpc_answer_the_same_figures_field_by_field()
    {
        var round = await ScoredRoundAsync(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo");
        await fixture.Bus.Publish(round.Appraisal("Huyện Tuần Giáo", 2, 33.333m, 12.1m));   // 45.433 of 65
        await fixture.Bus.Publish(round.Survey("Huyện Tuần Giáo", 2, 66.667m));             // 23.33345 of 35
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows.Any(r => r.Result.TotalPoints == 68.77m));
        await PublishAsync(round);
        var rest = JsonSerializer.Deserialize<JsonElement>(await _ministry.GetStringAsync($"api/ranking/rounds/{round.RoundId}/publications/latest"));
        var grpc = new RankingService.RankingServiceClient(fixture.Host.CreateGrpcChannel());
        var request = new GetPublishedRankingRequest { RoundId = round.RoundId.ToString() };
        var header = await grpc.GetPublishedRankingAsync(request, RankingServiceFixture.MinistryClient.GrpcHeaders());
        using var stream = grpc.StreamPublishedUnits(request, RankingServiceFixture.MinistryClient.GrpcHeaders());
        var units = await stream.ResponseStream.ReadAllAsync().ToListAsync();

        var table = rest.GetProperty("table");
        var compared = 0;
        void Same(string expectedShape, string grpcValue, JsonElement restValue)
        {
            Assert.Equal(grpcValue, restValue.GetRawText());
            Assert.Matches(expectedShape, grpcValue);
            compared++;
        }
        const string points = @"^-?\d+\.\d{2}$", percent = @"^-?\d+\.\d{2}$";
        var statistics = table.GetProperty("statistics");
        Assert.Equal(header.Statistics.Count, statistics.GetProperty("count").GetInt32());
        Same(percent, header.Statistics.AveragePercent, statistics.GetProperty("averagePercent"));
        Same(percent, header.Statistics.MedianPercent, statistics.GetProperty("medianPercent"));
        Same(points, header.Statistics.AveragePoints, statistics.GetProperty("averagePoints"));
        Same(percent, header.Statistics.Highest.Percent, statistics.GetProperty("highest").GetProperty("percent"));
        Same(percent, header.Statistics.Lowest.Percent, statistics.GetProperty("lowest").GetProperty("percent"));
        foreach (var (field, i) in header.Statistics.FieldAverages.Select((f, i) => (f, i)))
        {
            Same(percent, field.AveragePercent, statistics.GetProperty("fieldAverages")[i].GetProperty("averagePercent"));
        }
        Assert.Equal(units.Count, table.GetProperty("rows").GetArrayLength());
        foreach (var (unit, row) in units.Zip(table.GetProperty("rows").EnumerateArray()))
        {
            var result = row.GetProperty("result");
            Assert.Equal((unit.Rank, unit.UnitId, unit.UnitCode, unit.UnitName, unit.Band),
                (row.GetProperty("rank").GetInt32(), result.GetProperty("unitId").GetString(), row.GetProperty("unitCode").GetString(),
                 result.GetProperty("unitName").GetString(), result.GetProperty("band").GetString()));
            Same(points, unit.TotalPoints, result.GetProperty("totalPoints"));
            Same(points, unit.ApplicableMaxPoints, result.GetProperty("applicableMaxPoints"));
            Same(percent, unit.IndexPercent, result.GetProperty("indexPercent"));
            Same(points, unit.AppraisalPoints, result.GetProperty("appraisal").GetProperty("points"));
            Same(percent, unit.AppraisalPercent, result.GetProperty("appraisal").GetProperty("percent"));
            Same(points, unit.SurveyPoints, result.GetProperty("survey").GetProperty("points"));
            Same(percent, unit.SurveyPercent, result.GetProperty("survey").GetProperty("percent"));
            Same(points, unit.BonusPoints, result.GetProperty("bonusPoints"));
            Same(points, unit.PenaltyPoints, result.GetProperty("penaltyPoints"));
            var nodes = result.GetProperty("nodes").EnumerateArray().ToDictionary(node => node.GetProperty("code").GetString()!);
            foreach (var field in unit.Fields)
            {
                Same(points, field.Points, nodes[field.Code].GetProperty("points"));
                Same(points, field.MaxPoints, nodes[field.Code].GetProperty("maxPoints"));
                Same(percent, field.Percent, nodes[field.Code].GetProperty("percent"));
            }
        }
        Assert.True(compared > 30, $"compared {compared} figures");
        // Half away from zero: Tuần Giáo 45.433 + 23.33345 = 68.76645 -> "68.77"; 66.667% survey -> "66.67".
        Assert.Equal(("68.77", "66.67", "69.90"), (units[1].TotalPoints, units[1].SurveyPercent, units[1].AppraisalPercent));
    }

    [Fact]
    public async Task Points_are_shown_with_the_sets_precision()
    {
        var set = TestSets.District6535();
        set.ScoreStep = "0.5";
        var round = fixture.AddRound(2021, null, RankingServiceFixture.Named("Huyện Điện Biên"), set);
        await fixture.Bus.Publish(round.Appraisal("Huyện Điện Biên", 1, 30.5m, 21m));
        await fixture.Bus.Publish(round.Survey("Huyện Điện Biên", 1, 82.51m)); // 28.8785 of 35
        var live = JsonSerializer.Deserialize<JsonElement>(await Eventually.GetAsync(async () =>
            await _admin.GetStringAsync($"api/ranking/rounds/{round.RoundId}/live") is { } json && json.Contains("\"survey\":{\"points\":28.9,") ? json : null));
        var result = live.GetProperty("rows")[0].GetProperty("result");
        // 51.5 + 28.8785 = 80.3785: points with the step's one decimal, percentages with two.
        Assert.True(result.GetProperty("totalPoints").GetRawText() == "80.4", result.ToString());
        Assert.Equal(("80.4", "28.9", "35.0", "80.38", 1),
            (result.GetProperty("totalPoints").GetRawText(), result.GetProperty("survey").GetProperty("points").GetRawText(),
             result.GetProperty("survey").GetProperty("maxPoints").GetRawText(), result.GetProperty("indexPercent").GetRawText(),
             live.GetProperty("pointDecimals").GetInt32()));
        await PublishAsync(round);
        var grpc = new RankingService.RankingServiceClient(fixture.Host.CreateGrpcChannel());
        using var stream = grpc.StreamPublishedUnits(new GetPublishedRankingRequest { RoundId = round.RoundId.ToString() },
            RankingServiceFixture.MinistryClient.GrpcHeaders());
        var unit = (await stream.ResponseStream.ReadAllAsync().ToListAsync()).Single();
        Assert.Equal(("80.4", "35.0", "28.9", "80.38"), (unit.TotalPoints, unit.Fields[1].MaxPoints, unit.SurveyPoints, unit.IndexPercent));
    }

    /// <summary>Semicolon-separated cells with RFC 4180 quotes, as the exports write them.</summary>
    private static List<string[]> ReadCsv(string text)
    {
        var lines = new List<string[]>();
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ';') { cells.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                cells.Add(cell.ToString()); cell.Clear(); lines.Add([.. cells]); cells.Clear(); i++;
            }
            else { cell.Append(c); }
        }
        return lines;
    }

    private static string ReadEntry(byte[] zip, string name)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
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
        await Eventually.TrueAsync(async () => (await LiveAsync(lastYear)).Rows.Count(r => r.Result.Survey.Points > 0 && r.Result.TotalPoints > r.Result.Survey.Points) == 2);
        await PublishAsync(lastYear);

        var thisYear = fixture.AddRound(2021, lastYear.RoundId.ToString(),
            new Dictionary<string, Guid> { ["Thị xã Mường Lay"] = newId, ["Huyện Tủa Chùa"] = stayingId });
        fixture.Criteria.Data.Predecessors[newId.ToString()] = [new LineageLink { UnitId = oldId.ToString(), UnitName = "Huyện Mường Lay", Event = "rename" }];
        await fixture.Bus.Publish(thisYear.Appraisal("Thị xã Mường Lay", 1, 30.402m, 21m));
        await fixture.Bus.Publish(thisYear.Survey("Thị xã Mường Lay", 1, 82.51m));
        await fixture.Bus.Publish(thisYear.Appraisal("Huyện Tủa Chùa", 1, 20m, 20m));
        // Appraisal and survey arrive on different queues, in either order: wait for both parts of the renamed unit.
        var table = await Eventually.GetAsync(async () => await LiveAsync(thisYear) is { } t
            && t.Rows.Any(r => r.Result.UnitId == newId && r.Result.Survey.Points > 0 && r.Result.TotalPoints > r.Result.Survey.Points)
            && t.Rows.Any(r => r.Result.UnitId == stayingId && r.Result.TotalPoints == 40m) ? t : null);

        var renamed = table.Rows.Single(r => r.Result.UnitId == newId);
        Assert.Equal(("rename", 78m, 2.28m, (int?)1), (renamed.Change!.Basis, renamed.Change.PreviousPoints, renamed.Change.PointsChange, renamed.Change.RankChange));
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
        await Eventually.TrueAsync(async () => (await LiveAsync(round)).Rows.Count(r => r.Result.Survey.Points > 0 && r.Result.TotalPoints > r.Result.Survey.Points) == 2);
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
