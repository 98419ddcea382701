using System.Net;
using System.Text;
using System.Text.Json;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

/// <summary>
/// Optimistic concurrency on items (a web console must never overwrite another person's change silently): each item
/// has a version, a write with a stale If-Match is 412 with the item as it is now, and nothing of it is saved.
/// </summary>
public sealed class ItemConcurrencyTests : PlatformTest
{
    private static readonly TestCaller SecondAppraiser = new("appraiser-2", PlatformRoles.Appraiser, Tenant);

    [Fact]
    public async Task The_second_of_two_unit_writers_with_the_same_version_gets_412_with_the_first_ones_values_and_saves_nothing()
    {
        var assessment = await Platform.StartAsync();
        var path = ItemPath(assessment.Id, "1.1.2");
        var read = assessment.Item("1.1.2").Version;
        Assert.Equal(1, read);

        // Both read version 1; the officer writes first.
        var first = await SendAsync(Officer1, HttpMethod.Put, path, """{"selfScore": 1.5, "explanation": "Kế hoạch số 12/KH-STP"}""", "\"1\"");
        Assert.Equal("\"2\"", first.Headers.ETag?.ToString());
        Assert.Equal(2, (await first.ReadAsync<ItemDto>()).Version);

        var second = await SendAsync(Leader1, HttpMethod.Patch, path, """{"selfScore": 2, "explanation": "Của lãnh đạo"}""", "\"1\"");
        var problem = await second.ProblemAsync(412, "urn:par:submission:item-changed");
        Assert.Equal("Mục này vừa được người khác thay đổi", problem.GetProperty("title").GetString());
        Assert.Contains("officer-1", problem.GetProperty("detail").GetString());
        Assert.Contains("2026-01-10", problem.GetProperty("detail").GetString());
        var current = problem.GetProperty("current").Deserialize<ItemDto>(Http.Json)!;
        Assert.Equal(("1.1.2", 1.50m, "Kế hoạch số 12/KH-STP", "officer-1", 2), (current.Code, current.SelfScore, current.Explanation, current.UpdatedBy, current.Version));
        Assert.Equal("1.50", problem.GetProperty("current").GetProperty("selfScore").GetRawText()); // as the API shows it

        var saved = (await GetAsync(assessment.Id)).Item("1.1.2");
        Assert.Equal((1.5m, "Kế hoạch số 12/KH-STP", 2), (saved.SelfScore, saved.Explanation, saved.Version));
        Assert.Equal(["1.50"], (await Platform.AuditAsync(assessment.Id)).Where(entry => entry.Field == "selfScore").Select(entry => entry.After));

        // With the version it now holds, the leader's change goes through and the next ETag comes back.
        var retried = await SendAsync(Leader1, HttpMethod.Patch, path, """{"selfScore": 2}""", "\"2\"");
        Assert.Equal("\"3\"", retried.Headers.ETag?.ToString());
        var retriedItem = await retried.ReadAsync<ItemDto>();
        Assert.Equal((2m, 3), (retriedItem.SelfScore, retriedItem.Version));

        // Without If-Match, as before (scripts): the write goes ahead and still counts as a version.
        var unconditional = await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.75m);
        Assert.Equal("\"4\"", unconditional.Headers.ETag?.ToString());
        Assert.Equal(4, (await unconditional.ReadAsync<ItemDto>()).Version);

        // A weak tag names the same version: a stale one is refused, the current one accepted.
        await (await SendAsync(Officer1, HttpMethod.Patch, path, """{"selfScore": 0}""", "W/\"3\"")).ProblemAsync(412, "urn:par:submission:item-changed");
        var weak = await SendAsync(Officer1, HttpMethod.Patch, path, """{"selfScore": 1.25}""", "W/\"4\"");
        var weakItem = await weak.ReadAsync<ItemDto>();
        Assert.Equal((1.25m, 5), (weakItem.SelfScore, weakItem.Version));
        // A tag that is no version matches none; a header that is no entity tag is a bad request.
        await (await SendAsync(Officer1, HttpMethod.Patch, path, """{"selfScore": 0}""", "\"abc\"")).ProblemAsync(412, "urn:par:submission:item-changed");
        await (await SendAsync(Officer1, HttpMethod.Patch, path, """{"selfScore": 0}""", "5")).ProblemAsync(400, "urn:par:submission:invalid-argument");

        var after = await GetAsync(assessment.Id);
        Assert.Equal((1.25m, 5), (after.Item("1.1.2").SelfScore, after.Item("1.1.2").Version));
        Assert.Equal(1, after.Item("1.1.1").Version); // other items keep theirs
    }

    [Fact]
    public async Task Simultaneous_writes_with_the_same_version_let_exactly_one_through()
    {
        var assessment = await Platform.StartAsync();
        var path = ItemPath(assessment.Id, "1.1.2");

        var answers = await Task.WhenAll(Enumerable.Range(1, 6).Select(n =>
            SendAsync(n % 2 == 0 ? Officer1 : Leader1, HttpMethod.Patch, path, $$"""{"explanation": "Người thứ {{n}}"}""", "\"1\"")));

        var statuses = answers.Select(answer => answer.StatusCode).ToList();
        Assert.Single(statuses, HttpStatusCode.OK);
        Assert.Equal(5, statuses.Count(status => status == HttpStatusCode.PreconditionFailed));
        var winner = await answers.Single(answer => answer.IsSuccessStatusCode).ReadAsync<ItemDto>();
        var saved = (await GetAsync(assessment.Id)).Item("1.1.2");
        Assert.Equal((winner.Explanation, 2), (saved.Explanation, saved.Version));
        Assert.Single(await Platform.AuditAsync(assessment.Id), entry => entry.Field == "explanation");
    }

    [Fact]
    public async Task The_second_of_two_appraisers_with_the_same_version_gets_412_and_supplementary_requests_count_as_writes()
    {
        var assessment = await Platform.UnderAppraisalAsync();
        var path = $"/api/submission/assessments/{assessment.Id}/appraisal/items/1.1.1";
        var read = assessment.Item("1.1.1").Version;

        var first = await SendAsync(Appraiser, HttpMethod.Put, path, """{"score": 0.5, "comment": "Kế hoạch ban hành muộn"}""", $"\"{read}\"");
        Assert.Equal($"\"{read + 1}\"", first.Headers.ETag?.ToString());
        await first.ReadAsync<ItemDto>();

        var problem = await (await SendAsync(SecondAppraiser, HttpMethod.Put, path, """{"score": 1, "comment": "Đạt"}""", $"\"{read}\""))
            .ProblemAsync(412, "urn:par:submission:item-changed");
        Assert.Contains("appraiser-1", problem.GetProperty("detail").GetString());
        var current = problem.GetProperty("current").Deserialize<ItemDto>(Http.Json)!;
        Assert.Equal((0.5m, "Kế hoạch ban hành muộn", read + 1), (current.AppraisedScore1!.Value, current.AppraiserComment, current.Version));
        // Stale weak tags are refused as well.
        await (await SendAsync(SecondAppraiser, HttpMethod.Put, path, """{"score": 1}""", $"W/\"{read}\"")).ProblemAsync(412, "urn:par:submission:item-changed");

        var saved = (await GetAsync(assessment.Id)).Item("1.1.1");
        Assert.Equal((0.5m, "Kế hoạch ban hành muộn", read + 1), (saved.AppraisedScore1!.Value, saved.AppraiserComment, saved.Version));
        Assert.Equal([0.5m], saved.Appraisals.Select(value => value.Score)); // nothing of the refused writes in the history

        var retried = await SendAsync(SecondAppraiser, HttpMethod.Put, path, """{"score": 1, "comment": "Đạt"}""", $"W/\"{read + 1}\"");
        Assert.Equal($"\"{read + 2}\"", retried.Headers.ETag?.ToString());
        var retriedItem = await retried.ReadAsync<ItemDto>();
        Assert.Equal((1m, read + 2), (retriedItem.AppraisedScore1!.Value, retriedItem.Version));

        // A request for supplementary evidence changes the item too: the unit's write based on what it read before is refused.
        var before = (await GetAsync(assessment.Id)).Item("2.1.1").Version;
        await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{assessment.Id}/appraisal/supplementary",
            new { itemCodes = new[] { "2.1.1" }, dueAt = SelfAssessmentCloses.AddDays(10), note = "Bổ sung báo cáo" })).ReadAsync<AssessmentDto>();
        var requested = (await GetAsync(assessment.Id)).Item("2.1.1");
        Assert.Equal((before + 1, "appraiser-1"), (requested.Version, requested.UpdatedBy));
        await (await SendAsync(Officer1, HttpMethod.Patch, ItemPath(assessment.Id, "2.1.1"), """{"explanation": "Đã bổ sung"}""", $"\"{before}\""))
            .ProblemAsync(412, "urn:par:submission:item-changed");
        var supplemented = await SendAsync(Officer1, HttpMethod.Patch, ItemPath(assessment.Id, "2.1.1"), """{"explanation": "Đã bổ sung"}""", $"\"{before + 1}\"");
        Assert.Equal($"\"{before + 2}\"", supplemented.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task The_sheet_import_counts_as_a_write_to_each_item_it_changes()
    {
        var assessment = await Platform.StartAsync();
        var imported = await (await Platform.ImportSheetAsync(assessment.Id, Steps.SheetRow("1.1.2", 1.5))).ReadAsync<AssessmentDto>();

        Assert.Equal((1.5m, 2), (imported.Item("1.1.2").SelfScore, imported.Item("1.1.2").Version));
        Assert.Equal(1, imported.Item("1.1.1").Version);
        await (await SendAsync(Officer1, HttpMethod.Patch, ItemPath(assessment.Id, "1.1.2"), """{"selfScore": 2}""", "\"1\""))
            .ProblemAsync(412, "urn:par:submission:item-changed");
    }

    [Fact]
    public async Task An_items_history_is_read_alone_and_the_rounds_appraisers_follow_its_progress()
    {
        var assessment = await Platform.StartAsync();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, explanation: "Kế hoạch")).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1m)).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 0.5m, explanation: "Kế hoạch", caller: Leader1)).ReadAsync<ItemDto>();

        var history = await (await Platform.SubmissionAs(Appraiser).GetAsync($"/api/submission/assessments/{assessment.Id}/audit?itemCode=1.1.1"))
            .ReadAsync<List<AuditDto>>();
        Assert.Equal(
            [("officer-1", "selfScore", null, "1.00"), ("officer-1", "explanation", null, "Kế hoạch"), ("leader-1", "selfScore", "1.00", "0.50")],
            history.Select(entry => (entry.UserId, entry.Field, entry.Before, entry.After)));
        Assert.All(history, entry => Assert.Equal("1.1.1", entry.ItemCode));
        var csv = await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment.Id}/audit.csv?itemCode=1.1.1"))
            .Content.ReadAsStringAsync();
        Assert.Equal(4, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header and three entries
        Assert.Empty(await (await Platform.SubmissionAs(Appraiser).GetAsync($"/api/submission/assessments/{assessment.Id}/audit?itemCode=9.9.9"))
            .ReadAsync<List<AuditDto>>());
        Assert.Equal(5, (await Platform.AuditAsync(assessment.Id)).Count); // unfiltered: the creation too

        // The appraiser's queue: every unit of the round with its state.
        var progress = await (await Platform.SubmissionAs(Appraiser).GetAsync($"/api/submission/rounds/{RoundId}/progress")).ReadAsync<JsonElement>();
        Assert.Equal(
            [(Unit1.ToString(), "Draft"), (Unit2.ToString(), "NotStarted"), (Unit3.ToString(), "NotStarted")],
            progress.GetProperty("progress").EnumerateArray()
                .Select(unit => (unit.GetProperty("unitId").GetString()!, unit.GetProperty("status").GetString()!)).OrderBy(unit => unit.Item1));
        await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/rounds/{RoundId}/progress")).ProblemAsync(403, "urn:par:submission:forbidden");
    }

    [Fact]
    public async Task The_openapi_document_lists_the_412_and_the_if_match_header_of_each_item_write()
    {
        var paths = (await (await Platform.SubmissionAs(Officer1).GetAsync("/api/submission/openapi/v1.json")).ReadAsync<JsonElement>()).GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/submission/assessments/{id}/items/{code}", "put"), ("/api/submission/assessments/{id}/items/{code}", "patch"),
            ("/api/submission/assessments/{id}/appraisal/items/{code}", "put"),
        })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.True(operation.GetProperty("responses").GetProperty("412").GetProperty("content").TryGetProperty("application/problem+json", out _));
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(),
                parameter => parameter.GetProperty("name").GetString() == "If-Match" && parameter.GetProperty("in").GetString() == "header");
        }
    }

    private static string ItemPath(Guid assessment, string code) => $"/api/submission/assessments/{assessment}/items/{code}";

    private async Task<AssessmentDto> GetAsync(Guid assessment) =>
        await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment}")).ReadAsync<AssessmentDto>();

    private Task<HttpResponseMessage> SendAsync(TestCaller caller, HttpMethod method, string path, string json, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            // Without validation: the test also sends what is no entity tag.
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return Platform.SubmissionAs(caller).SendAsync(request);
    }
}
