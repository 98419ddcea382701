using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;
using Xunit.Abstractions;

namespace ParPlatform.Ranking.Tests.Service;

[Collection(RankingServiceCollection.Name)]
public class LiveRankingTests(RankingServiceFixture fixture, ITestOutputHelper output)
{
    private readonly HttpClient _admin = fixture.Client(RankingServiceFixture.ProvinceAdmin);

    [Fact]
    public async Task Finalised_appraisals_and_survey_scores_update_the_live_group()
    {
        var round = fixture.AddRound(2021, null, "Huyện Điện Biên", "Huyện Tuần Giáo");
        await fixture.Bus.Publish(round.Appraisal("Huyện Điện Biên", 1, 30.402m, 21m));
        await fixture.Bus.Publish(round.Survey("Huyện Điện Biên", 1, 82.51m));
        await fixture.Bus.Publish(round.Appraisal("Huyện Tuần Giáo", 1, 20m, 20m));
        await fixture.Bus.Publish(round.Survey("Huyện Tuần Giáo", 1, 100m));

        var table = await LiveAsync(round, t => t.Rows.Count == 2 && t.Rows.All(row => row.Result.Survey.Points > 0));

        var first = table.Rows[0];
        Assert.Equal(("Huyện Điện Biên", 1), (first.Result.UnitName, first.Rank));
        Assert.Equal(80.28m, first.Result.TotalPoints); // 80.2805 as computed, shown with the set's 2 decimals
        Assert.Equal("80,28%", Figures.Percent(first.Result.IndexPercent));
        Assert.Equal(("79,08%", "82,51%"), (Figures.Percent(first.Result.Appraisal.Percent), Figures.Percent(first.Result.Survey.Percent)));
        Assert.Equal("Khá", first.Result.Band);
        Assert.Equal((2, 75m), (table.Rows[1].Rank, table.Rows[1].Result.TotalPoints));
        Assert.Equal(2, table.Statistics.Count);

        // A later finalisation moves the group: measured from publish to the live table showing it.
        var watch = Stopwatch.StartNew();
        await fixture.Bus.Publish(round.Appraisal("Huyện Tuần Giáo", 2, 40m, 25m));
        var moved = await LiveAsync(round, t => t.Rows[0].Result.UnitName == "Huyện Tuần Giáo", pollMs: 20);
        output.WriteLine($"finalisation -> live group updated in {watch.ElapsedMilliseconds} ms");
        Assert.Equal([("Huyện Tuần Giáo", 1), ("Huyện Điện Biên", 2)], moved.Rows.Select(r => (r.Result.UnitName, r.Rank)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_same_AppraisalFinalized_twice_changes_nothing_and_only_newer_revisions_count()
    {
        var round = fixture.AddRound(2021, null, "Huyện Mường Chà", "Huyện Tủa Chùa");
        var first = round.Appraisal("Huyện Mường Chà", 1, 10m, 10m);
        var messageId = Guid.NewGuid();
        await fixture.Bus.Publish(first, context => context.MessageId = messageId);
        await LiveAsync(round, t => t.Rows.Count == 1);
        var before = await StoredAsync(round, "Huyện Mường Chà");

        fixture.Clock.Advance(TimeSpan.FromHours(1)); // a reprocessing would leave a later computed_at
        await fixture.Bus.Publish(first, context => context.MessageId = messageId);
        // Same id, newer revision: still the same delivery as far as the inbox is concerned.
        await fixture.Bus.Publish(round.Appraisal("Huyện Mường Chà", 5, 40m, 25m), context => context.MessageId = messageId);
        await MarkerAsync(round, 1);

        Assert.Equal(before, await StoredAsync(round, "Huyện Mường Chà"));

        await fixture.Bus.Publish(round.Appraisal("Huyện Mường Chà", 3, 30m, 20m));
        await LiveAsync(round, t => Row(t, "Huyện Mường Chà").Result.TotalPoints == 50m);
        await fixture.Bus.Publish(round.Appraisal("Huyện Mường Chà", 2, 1m, 1m)); // older revision, new message
        await MarkerAsync(round, 2);
        Assert.Equal(50m, Row(await LiveAsync(round, _ => true), "Huyện Mường Chà").Result.TotalPoints);
    }

    [Fact]
    public async Task Survey_scores_keep_the_highest_sequence()
    {
        var round = fixture.AddRound(2021, null, "Huyện Mường Nhé", "Huyện Tủa Chùa");
        await fixture.Bus.Publish(round.Survey("Huyện Mường Nhé", 7, 80m));
        await LiveAsync(round, t => t.Rows.Count == 1 && t.Rows[0].Result.Survey.Points == 28m);

        await fixture.Bus.Publish(round.Survey("Huyện Mường Nhé", 6, 20m));
        await MarkerAsync(round, 1);

        Assert.Equal(28m, Row(await LiveAsync(round, _ => true), "Huyện Mường Nhé").Result.Survey.Points);
    }

    [Fact]
    public async Task A_burst_of_survey_updates_is_applied_in_groups_and_an_event_for_a_foreign_unit_fails_alone()
    {
        var names = Enumerable.Range(1, 6).Select(i => $"Xã Đồng Thử {i}").ToArray();
        var round = fixture.AddRound(2021, null, names);
        // A campaign's burst: every unit's sequences 1..8 out of order and at once, a redelivered copy of one of them,
        // and an event about a unit the round does not evaluate among them.
        var messages = names.SelectMany(name => Enumerable.Range(1, 8).Select(sequence => round.Survey(name, sequence, 10m * sequence)))
            .OrderBy(_ => Random.Shared.Next()).ToList();
        var copied = Guid.NewGuid();
        var foreign = round.Survey(names[0], 9, 100m) with { UnitId = Guid.NewGuid() };
        await Task.WhenAll(messages.Select(message => fixture.Bus.Publish(message))
            .Append(fixture.Bus.Publish(foreign))
            .Append(fixture.Bus.Publish(round.Survey(names[1], 1, 5m), context => context.MessageId = copied))
            .Append(fixture.Bus.Publish(round.Survey(names[1], 1, 5m), context => context.MessageId = copied)));

        // Sequence 8 (80 % of the 35 survey points) wins everywhere; the foreign event held nobody up.
        var table = await LiveAsync(round, t => t.Rows.Count == names.Length && t.Rows.All(row => row.Result.Survey.Points == 28m));
        Assert.DoesNotContain(table.Rows, row => row.Result.UnitId == foreign.UnitId);
        await using var connection = await fixture.OpenDatabaseAsync();
        Assert.Equal(names.Length, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM survey_inputs WHERE round_id = @RoundId AND sequence = 8", new { round.RoundId }));
    }

    [Fact]
    public async Task A_page_of_the_live_group_is_filtered_sorted_and_counted_and_follows_later_finalisations()
    {
        var round = fixture.AddRound(2021, null, "Xã Ẳng Cang", "Xã Ẳng Nưa", "Xã Búng Lao", "Xã Chiềng Sinh", "Phường Noong Bua");
        var points = new[] { 5m, 10m, 15m, 20m, 25m };
        foreach (var (unit, i) in round.Units.Keys.Select((unit, i) => (unit, i)))
        {
            await fixture.Bus.Publish(round.Appraisal(unit, 1, points[i], 0m));
        }
        await LiveAsync(round, t => t.Rows.Count == 5);

        var byPoints = await PageAsync(round, "page=1&pageSize=2&sort=points-desc");
        Assert.Equal((5, 1, 2, "points-desc"), (byPoints.TotalRows, byPoints.Page, byPoints.PageSize, byPoints.Sort));
        Assert.Equal(["Phường Noong Bua", "Xã Chiềng Sinh"], byPoints.Rows.Select(row => row.Result.UnitName));
        Assert.Equal(5, byPoints.Statistics.Count); // the statistics are the whole group's, whatever the page
        var last = await PageAsync(round, "page=3&pageSize=2&sort=points-desc");
        Assert.Equal(["Xã Ẳng Cang"], last.Rows.Select(row => row.Result.UnitName));

        // Vietnamese alphabetical order (ă after a, before b), and a search that ignores case but not diacritics ("ẳng" is not "ang").
        var byName = await PageAsync(round, "page=1&pageSize=10&sort=unit");
        Assert.Equal(["Phường Noong Bua", "Xã Ẳng Cang", "Xã Ẳng Nưa", "Xã Búng Lao", "Xã Chiềng Sinh"], byName.Rows.Select(row => row.Result.UnitName));
        var found = await PageAsync(round, "page=1&q=" + Uri.EscapeDataString("xã ẳng"));
        Assert.Equal(2, found.TotalRows);
        Assert.Equal([4, 5], found.Rows.Select(row => row.Rank));

        // A finalisation after the table was read is in the next page read (the cached table takes in the changed unit).
        await fixture.Bus.Publish(round.Appraisal("Xã Ẳng Cang", 2, 35m, 0m));
        await LiveAsync(round, t => Row(t, "Xã Ẳng Cang").Rank == 1);
        var moved = await PageAsync(round, "page=1&pageSize=1");
        Assert.Equal(("Xã Ẳng Cang", 1, 35m), (moved.Rows[0].Result.UnitName, moved.Rows[0].Rank, moved.Rows[0].Result.TotalPoints));

        var refused = await _admin.GetAsync($"api/ranking/rounds/{round.RoundId}/live?page=0&pageSize=501&sort=size");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.EndsWith("invalid-page", problem.GetProperty("type").GetString());
        Assert.Equal(["page", "pageSize", "sort"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order());
    }

    private async Task<ParPlatform.Ranking.Live.LivePage> PageAsync(TestRound round, string query) =>
        await ReadAsync<ParPlatform.Ranking.Live.LivePage>(await _admin.GetAsync($"api/ranking/rounds/{round.RoundId}/live?{query}"));

    [Fact]
    public async Task Live_figures_are_not_for_ministry_clients_or_other_provinces()
    {
        var round = fixture.AddRound(2021, null, "Huyện Nậm Pồ");
        var ministry = await fixture.Client(RankingServiceFixture.MinistryClient).GetAsync($"api/ranking/rounds/{round.RoundId}/live");
        var other = await fixture.Client(RankingServiceFixture.OtherProvinceAdmin).GetAsync($"api/ranking/rounds/{round.RoundId}/live");
        var unknown = await _admin.GetAsync($"api/ranking/rounds/{Guid.NewGuid()}/live");
        var anonymous = await fixture.Host.CreateRestClient().GetAsync($"api/ranking/rounds/{round.RoundId}/live");

        Assert.Equal(HttpStatusCode.Forbidden, ministry.StatusCode);
        Assert.Contains("urn:par:ranking:forbidden", await ministry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("urn:par:ranking:round-not-found", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task What_if_names_the_largest_gaps_and_the_rank_they_would_reach()
    {
        var round = fixture.AddRound(2021, null, "Huyện A", "Huyện B");
        await fixture.Bus.Publish(round.Appraisal("Huyện A", 1, 20m, 25m));
        await fixture.Bus.Publish(round.Appraisal("Huyện B", 1, 40m, 10m));
        await LiveAsync(round, t => t.Rows.Count == 2);

        var leader = new TestCaller("leader-a", PlatformRoles.UnitLeader, RankingServiceFixture.Tenant, round.Units["Huyện A"].ToString());
        var path = $"api/ranking/rounds/{round.RoundId}/live/units/{round.Units["Huyện A"]}/what-if";
        var whatIf = await ReadAsync<WhatIfResult>(await fixture.Client(leader).GetAsync($"{path}?top=1"));

        // The survey item (35 points missing) is the largest gap, but no work of the unit on an item scores it: it is
        // listed apart and not projected; the unit's own largest gap is 1.1.1 (20 of 40).
        Assert.Equal(2, whatIf.CurrentRank);
        Assert.Equal([("1.1.1", 20m)], whatIf.Gaps.Select(gap => (gap.Code, gap.Missing)));
        Assert.Equal([("2.1.1", 35m)], whatIf.SurveyGaps.Select(gap => (gap.Code, gap.Missing)));
        Assert.Equal((65m, 1), (whatIf.ProjectedPoints, whatIf.ProjectedRank));
        Assert.Equal(1, whatIf.Gaps[0].RankReached);
        Assert.Null(whatIf.SurveyGaps[0].RankReached);

        foreach (var top in new[] { "0", "-1", "101" })
        {
            var refused = await fixture.Client(leader).GetAsync($"{path}?top={top}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains("urn:par:ranking:invalid-top", problem);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_unit_of_the_live_group_is_read_with_its_whole_scorecard_and_the_groups_averages()
    {
        var round = fixture.AddRound(2021, null, "Huyện Si Ma Cai", "Huyện Bắc Hà");
        await fixture.Bus.Publish(round.Appraisal("Huyện Si Ma Cai", 1, 20m, 25m));
        await fixture.Bus.Publish(round.Survey("Huyện Si Ma Cai", 1, 60m));
        await fixture.Bus.Publish(round.Appraisal("Huyện Bắc Hà", 1, 40m, 10m));
        await LiveAsync(round, t => t.Rows.Count == 2 && t.Rows.Any(row => row.Result.Survey.Points > 0));

        var unitId = round.Units["Huyện Si Ma Cai"];
        var path = $"api/ranking/rounds/{round.RoundId}/live/units/{unitId}";
        var unit = await ReadAsync<Live.LiveUnit>(await _admin.GetAsync(path));

        // 45 appraised + 21 survey = 66 against 50 + 0: first of two; every level of the tree, not just the fields.
        Assert.Equal((1, 66m, "Huyện Si Ma Cai"), (unit.Row.Rank, unit.Row.Result.TotalPoints, unit.Row.Result.UnitName));
        Assert.Equal(["1", "1.1", "1.1.1", "1.1.2", "2", "2.1", "2.1.1"], unit.Row.Result.Nodes.Select(node => node.Code));
        Assert.Equal((2, "58.00"), (unit.GroupCount, Figures.Text(unit.GroupAveragePercent, 2)));
        // Field 1: (45/65 + 50/65) / 2 = 73,08%; field 2 counts both units, the one without survey points at 0.
        Assert.Equal([("1", "73.08"), ("2", "30.00")], unit.FieldAverages.Select(field => (field.Code, Figures.Text(field.AveragePercent, 2))));
        Assert.Equal(2, unit.PointDecimals);

        // The unit's own leader may read it, another unit's leader, another province or a ministry client may not.
        var leader = new TestCaller("leader-smc", PlatformRoles.UnitLeader, RankingServiceFixture.Tenant, unitId.ToString());
        var otherLeader = new TestCaller("leader-bh", PlatformRoles.UnitLeader, RankingServiceFixture.Tenant, round.Units["Huyện Bắc Hà"].ToString());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(leader).GetAsync(path)).StatusCode);
        foreach (var refused in new[] { otherLeader, RankingServiceFixture.OtherProvinceAdmin, RankingServiceFixture.MinistryClient })
        {
            var answer = await fixture.Client(refused).GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Contains("urn:par:ranking:forbidden", await answer.Content.ReadAsStringAsync());
        }

        // A unit the round does not rank, and a round nobody knows: not found, each with its type.
        var stranger = await _admin.GetAsync($"api/ranking/rounds/{round.RoundId}/live/units/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Contains("urn:par:ranking:unit-not-ranked", await stranger.Content.ReadAsStringAsync());
        var unknownRound = await _admin.GetAsync($"api/ranking/rounds/{Guid.NewGuid()}/live/units/{unitId}");
        Assert.Equal(HttpStatusCode.NotFound, unknownRound.StatusCode);
        Assert.Contains("urn:par:ranking:round-not-found", await unknownRound.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_not_applicable_change_after_finalisation_rescores_the_unit()
    {
        var round = fixture.AddRound(2021, null, "Huyện Mường Ảng", "Huyện Điện Biên Đông");
        await fixture.Bus.Publish(round.Appraisal("Huyện Mường Ảng", 1, 40m, 20m));   // 60 of 65
        await fixture.Bus.Publish(round.Survey("Huyện Mường Ảng", 1, 80m));           // 28 of 35
        await LiveAsync(round, t => t.Rows.Count == 1 && t.Rows[0].Result.TotalPoints == 88m);

        // After finalisation the administrator marks 1.1.2 (25 points) not applicable: the denominator becomes 75.
        await fixture.Bus.Publish(fixture.SetNotApplicable(round, "Huyện Mường Ảng", "1.1.2"));
        var table = await LiveAsync(round, t => t.Rows[0].Result.ApplicableMaxPoints == 75m);
        var unit = table.Rows[0].Result;
        Assert.Equal((68m, "90,67%"), (unit.TotalPoints, Figures.Percent(unit.IndexPercent))); // 40 + 28 of 75
        Assert.Equal("Tốt", unit.Band);

        // Marked applicable again: back to 100. A unit without any result is not put in the table by such a change.
        await fixture.Bus.Publish(fixture.SetNotApplicable(round, "Huyện Điện Biên Đông", "2"));
        await fixture.Bus.Publish(fixture.SetNotApplicable(round, "Huyện Mường Ảng"));
        await LiveAsync(round, t => t.Rows[0].Result.ApplicableMaxPoints == 100m && t.Rows[0].Result.TotalPoints == 88m);
        await Task.Delay(500);
        Assert.Single((await LiveAsync(round, _ => true)).Rows);
        // Its first input is scored with the marks as they stand: field 2 (35) not applicable.
        await fixture.Bus.Publish(round.Appraisal("Huyện Điện Biên Đông", 1, 20m, 20m));
        var other = Row(await LiveAsync(round, t => t.Rows.Count == 2), "Huyện Điện Biên Đông").Result;
        Assert.Equal((40m, 65m), (other.TotalPoints, other.ApplicableMaxPoints));
    }

    [Fact]
    public async Task Survey_fields_and_criteria_are_labelled_by_their_items_scoring_method()
    {
        var round = fixture.AddRound(2021, null, "Huyện Nậm Pồ", "Huyện Mường Nhé");
        await fixture.Bus.Publish(round.Appraisal("Huyện Nậm Pồ", 1, 30m, 20m));
        await fixture.Bus.Publish(round.Survey("Huyện Nậm Pồ", 1, 60m));
        await fixture.Bus.Publish(round.Appraisal("Huyện Mường Nhé", 1, 20m, 20m));
        var live = await LiveAsync(round, t => t.Rows.Count == 2 && t.Rows.Any(row => row.Result.Survey.Points > 0));

        Assert.Equal([("1", ScoreSource.Appraised), ("2", ScoreSource.Survey)], live.Rows[0].Result.Nodes.Select(n => (n.Code, n.Source)));
        var published = await ReadAsync<Data.PublishedSnapshot>(await _admin.PostAsync($"api/ranking/rounds/{round.RoundId}/publications", null));
        var scorecard = await ReadAsync<GroupRow>(await fixture.Client(RankingServiceFixture.MinistryClient)
            .GetAsync($"api/ranking/rounds/{round.RoundId}/publications/{published.Version}/units/{round.Units["Huyện Nậm Pồ"]}"));
        Assert.Equal(
            [("1", ScoreSource.Appraised), ("1.1", ScoreSource.Appraised), ("1.1.1", ScoreSource.Appraised), ("1.1.2", ScoreSource.Appraised),
             ("2", ScoreSource.Survey), ("2.1", ScoreSource.Survey), ("2.1.1", ScoreSource.Survey)],
            scorecard.Result.Nodes.Select(n => (n.Code, n.Source)));
    }

    [Fact]
    public async Task Items_at_any_depth_and_bonus_and_penalty_items_count_within_the_caps()
    {
        var round = fixture.AddRound(2021, null, RankingServiceFixture.Named("Thị xã Mường Lay"), TestSets.DepthAndAdjustments());
        await fixture.Bus.Publish(round.Appraisal("Thị xã Mường Lay", 1,
            ("1.1", 30m), ("1.2.1", 20m), ("2.2", 5m), ("9.1", 3m), ("10.1", -4m)));
        await fixture.Bus.Publish(round.Survey("Thị xã Mường Lay", 1, 80m)); // 24 of 30
        var table = await LiveAsync(round, t => t.Rows.Count == 1 && t.Rows[0].Result.Survey.Points > 0);

        var unit = table.Rows[0].Result;
        // 30 + 20 + 5 appraised, 24 survey, bonus 3 capped at 2, penalty 4 capped at 3: 78 of 100.
        Assert.Equal((55m, 65m + 5m), (unit.Appraisal.Points, unit.Appraisal.MaxPoints));
        Assert.Equal((24m, 2m, 3m, 78m, 100m), (unit.Survey.Points, unit.BonusPoints, unit.PenaltyPoints, unit.TotalPoints, unit.ApplicableMaxPoints));
        Assert.Equal("78.00", Figures.Text(unit.IndexPercent, 2));
        Assert.Equal([("1", ScoreSource.Appraised), ("2", ScoreSource.Mixed), ("9", ScoreSource.Appraised), ("10", ScoreSource.Appraised)],
            unit.Nodes.Select(n => (n.Code, n.Source)));
    }

    private static GroupRow Row(GroupTable table, string unit) => table.Rows.Single(row => row.Result.UnitName == unit);

    /// <summary>Waits for a fresh event on the round's other unit: by then the events published before it are consumed.</summary>
    private async Task MarkerAsync(TestRound round, int revision)
    {
        var other = round.Units.Keys.Last();
        await fixture.Bus.Publish(round.Appraisal(other, revision, revision, 0m));
        await LiveAsync(round, t => t.Rows.Any(row => row.Result.UnitName == other && row.Result.TotalPoints == revision));
        await Task.Delay(500); // redeliveries published earlier may be in flight on another consumer slot
    }

    private async Task<(decimal, DateTime)> StoredAsync(TestRound round, string unit)
    {
        await using var connection = await fixture.OpenDatabaseAsync();
        return await connection.QuerySingleAsync<(decimal, DateTime)>(
            "SELECT total_points, computed_at FROM unit_results WHERE round_id = @RoundId AND unit_id = @unitId",
            new { round.RoundId, unitId = round.Units[unit] });
    }

    private async Task<GroupTable> LiveAsync(TestRound round, Func<GroupTable, bool> until, int pollMs = 200)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var table = await ReadAsync<GroupTable>(await _admin.GetAsync($"api/ranking/rounds/{round.RoundId}/live"));
            if (until(table))
            {
                return table;
            }
            Assert.True(DateTime.UtcNow < deadline, "the live table did not reach the expected state within 30 s");
            await Task.Delay(pollMs);
        }
    }

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, RankingServiceFixture.Json)!;
    }
}
