using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Intake;
using ParPlatform.Testing;

namespace ParPlatform.Survey.Tests;

[Collection(SurveyCollection.Name)]
public sealed class IntakeTests(SurveyFixture fixture)
{
    private static readonly Guid Unit = TestCriteria.Units[0];

    [Fact]
    public async Task Five_identical_concurrent_requests_get_one_receipt_and_one_stored_row()
    {
        var response = fixture.Citizen("concurrent-1", Unit, "A", "C", 7, "Nữ");
        var start = new TaskCompletionSource();
        var requests = Enumerable.Range(0, 5).Select(async _ =>
        {
            using var client = fixture.OperatorCaller.Client(fixture.Survey.HttpAddress);
            await start.Task;
            return await client.PostAsJsonAsync("/api/survey/responses", response, SurveyFixture.Json);
        }).ToList();
        start.SetResult();
        var replies = await Task.WhenAll(requests);

        Assert.All(replies, reply => Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode));
        var receipts = await Task.WhenAll(replies.Select(reply => reply.Content.ReadFromJsonAsync<ItemResult>(SurveyFixture.Json)));
        Assert.Single(receipts.Select(receipt => receipt!.ReceiptId).Distinct());
        Assert.Equal(1, receipts.Count(receipt => receipt!.Outcome == Outcomes.Accepted));

        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync("concurrent-1") == 1);
        await fixture.DrainedAsync();
        Assert.Equal(1, await fixture.StoredCountAsync("concurrent-1"));
        await using var connection = await fixture.Database.OpenConnectionAsync();
        Assert.Equal("Nữ", await connection.ExecuteScalarAsync<string>(
            "SELECT profile->>'sex' FROM responses WHERE response_id = 'concurrent-1'"));
    }

    [Fact]
    public async Task Same_id_with_different_content_is_409_pointing_at_the_stored_version()
    {
        var first = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("conflict-1", Unit, "A", "A"), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var receipt = (await first.Content.ReadFromJsonAsync<ItemResult>(SurveyFixture.Json))!;

        var repeat = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("conflict-1", Unit, "A", "A"), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(receipt.ReceiptId, (await repeat.Content.ReadFromJsonAsync<ItemResult>(SurveyFixture.Json))!.ReceiptId);

        var conflicting = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("conflict-1", Unit, "D", "D"), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Conflict, conflicting.StatusCode);
        using var problem = JsonDocument.Parse(await conflicting.Content.ReadAsStringAsync());
        Assert.Equal("urn:par:survey:response-conflict", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("/api/survey/responses/conflict-1", problem.RootElement.GetProperty("existing").GetString());
        Assert.Equal(receipt.ReceiptId, problem.RootElement.GetProperty("receiptId").GetGuid());

        var stored = await fixture.Operator.GetFromJsonAsync<JsonElement>(problem.RootElement.GetProperty("existing").GetString(), SurveyFixture.Json);
        Assert.Equal(receipt.ReceiptId, stored.GetProperty("receiptId").GetGuid());
        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync("conflict-1") == 1);
    }

    [Fact]
    public async Task Response_without_id_is_400()
    {
        var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("", Unit), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains("urn:par:survey:missing-response-id", await reply.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Closed_survey_window_refuses_by_the_server_clock()
    {
        var closedRound = fixture.Citizen("closed-1", Unit) with { QuestionnaireId = fixture.ClosedRoundQuestionnaire };
        var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", closedRound, SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.StatusCode);
        Assert.Contains("urn:par:survey:survey-window-closed", await reply.Content.ReadAsStringAsync());

        // The open round closes when the clock passes its end, without any job running.
        var now = fixture.Clock.GetUtcNow();
        fixture.Clock.SetUtcNow(TestCriteria.SurveyCloses);
        try
        {
            var late = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("closed-2", Unit), SurveyFixture.Json);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        }
        finally
        {
            fixture.Clock.AdjustTime(now);
        }
        Assert.Equal(0, await fixture.StoredCountAsync("closed-"));
    }

    [Fact]
    public async Task Batch_with_bad_items_stores_exactly_the_good_ones()
    {
        var earlier = await fixture.Operator.PostAsJsonAsync("/api/survey/responses", fixture.Citizen("batch-1-earlier", Unit), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, earlier.StatusCode);

        ResponseInput[] items =
        [
            fixture.Citizen("batch-1-good-a", Unit, "A", "A", 10),
            fixture.Citizen("batch-1-good-b", Unit, "C", "D"),
            fixture.Citizen("batch-1-earlier", Unit),                                               // duplicate of the single
            fixture.Citizen("batch-1-unit", Guid.NewGuid()),                                         // unknown unit
            fixture.Citizen("batch-1-option", Unit, "E"),                                            // outside the scale
            fixture.Citizen("batch-1-number", Unit, q3: 11),                                         // outside the scale
            fixture.Citizen("batch-1-missing", Unit) with { Answers = [new AnswerInput("Q1", "A")] }, // Q2 is required
            fixture.Citizen("batch-1-form", Unit) with { QuestionnaireId = Guid.NewGuid() },        // unknown questionnaire
            fixture.Citizen("batch-1-profile", Unit, sex: "X"),                                      // undeclared band
            fixture.Citizen(" ", Unit),                                                              // no id
            fixture.Citizen("batch-1-good-a", Unit, "A", "A", 10),                                   // identical copy in the batch
            fixture.Citizen("batch-1-good-b", Unit, "A", "A"),                                       // conflicting copy in the batch
        ];
        var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(items), SurveyFixture.Json);
        reply.EnsureSuccessStatusCode();
        var result = (await reply.Content.ReadFromJsonAsync<BatchResult>(SurveyFixture.Json))!;

        Assert.Equal(
            [
                Outcomes.Accepted, Outcomes.Accepted, Outcomes.Duplicate, Reasons.UnknownUnit, Reasons.AnswerOutsideScale,
                Reasons.AnswerOutsideScale, Reasons.MissingRequiredAnswer, Reasons.UnknownQuestionnaire, Reasons.InvalidProfile,
                Reasons.MissingResponseId, Outcomes.Duplicate, Reasons.Conflict,
            ],
            result.Items.Select(item => item.Reason ?? item.Outcome));
        Assert.Equal((2, 2, 8), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Equal(result.Items[0].ReceiptId, result.Items[10].ReceiptId);

        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync("batch-1-") == 3);
        await fixture.DrainedAsync();
        Assert.Equal(["batch-1-earlier", "batch-1-good-a", "batch-1-good-b"], await fixture.StoredIdsAsync("batch-1-"));
    }

    [Fact]
    public async Task Batch_over_the_limit_is_refused()
    {
        var items = Enumerable.Range(0, IntakeService.MaxBatch + 1).Select(i => fixture.Citizen($"big-{i}", Unit)).ToList();
        var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(items), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(0, await fixture.StoredCountAsync("big-"));
    }
}
