using System.Text;
using System.Text.Json;
using ParPlatform.Contracts.Submission.V1;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

/// <summary>
/// Issue 11 §4: every point figure leaves the service with exactly the decimals of the set's score step, rounded half
/// away from zero, and the same text over REST (a JSON number) and gRPC (a string): step 0.25 gives "2.25", "15.00".
/// </summary>
public sealed class FigureShapeTests : PlatformTest
{
    // JSON members that are counts, not points: every other number in an answer is a point figure.
    private static readonly HashSet<string> Counts = ["revision", "appraisalRound", "units", "items", "scored", "missingEvidence", "version"];

    [Fact]
    public async Task Points_have_the_sets_decimals_and_the_same_text_over_REST_and_gRPC_from_self_assessment_to_appraisal()
    {
        var assessment = await Platform.StartAsync();
        var evidence = await Platform.UploadPdfAsync();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, evidence: [evidence.Id])).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.5m)).ReadAsync<ItemDto>();
        // Sent with a trailing zero: stored as entered, shown in the set's shape.
        var answer = await (await RawPutAsync(assessment.Id, "2.1.1", """{"selfScore": 2.250, "explanation": "Báo cáo quý IV"}"""))
            .ReadAsync<JsonElement>();
        Assert.Equal(("3.00", "0.00", "2.25"), (Raw(answer, "maxPoints"), Raw(answer, "minPoints"), Raw(answer, "selfScore")));
        await (await Platform.ScoreAsync(assessment.Id, "2.1.2", -0.25m)).ReadAsync<ItemDto>();

        var draft = await RestAsync(assessment.Id);
        Assert.Equal(
        [
            ("1.1.1", "1.00", "0.00", "1.00", null),
            ("1.1.2", "2.00", "0.00", "1.50", null),
            ("2.1.1", "3.00", "0.00", "2.25", null),
            ("2.1.2", "0.00", "-1.00", "-0.25", null),
        ], Items(draft).Select(item => (Text(item, "code"), Raw(item, "maxPoints"), Raw(item, "minPoints"), Raw(item, "selfScore"), Raw(item, "appraisedScore"))));
        await AssertSameOverGrpcAsync(draft);

        await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/submit", null)).ReadAsync<AssessmentDto>();
        await (await Platform.SubmissionAs(Leader1).PostAsync($"/api/submission/assessments/{assessment.Id}/approve", null)).ReadAsync<AssessmentDto>();
        Platform.Clock.SetUtcNow(SelfAssessmentCloses.AddHours(1));
        await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{assessment.Id}/appraisal/start", null))
            .ReadAsync<AssessmentDto>();
        var appraised = await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 0.5m, "Ban hành muộn")).ReadAsync<JsonElement>();
        Assert.Equal(("0.50", "0.50", "0.50"),
            (Raw(appraised, "appraisedScore1"), Raw(appraised, "appraisedScore"), Raw(appraised.GetProperty("appraisals")[0], "score")));
        await (await Platform.AppraiseAsync(assessment.Id, "2.1.1", 2.5m)).ReadAsync<ItemDto>();

        var underAppraisal = await RestAsync(assessment.Id);
        Assert.Equal(
        [
            ("1.1.1", "1.00", "0.50"),
            ("1.1.2", "1.50", null),
            ("2.1.1", "2.25", "2.50"),
            ("2.1.2", "-0.25", null),
        ], Items(underAppraisal).Select(item => (Text(item, "code"), Raw(item, "selfScore"), Raw(item, "appraisedScore"))));
        await AssertSameOverGrpcAsync(underAppraisal);
        AssertEveryPointHas(2, underAppraisal);
        AssertEveryPointHas(2, appraised);

        // Sums per field follow the same shape.
        var progress = await (await Platform.SubmissionAs(Admin).GetAsync($"/api/submission/rounds/{RoundId}/progress")).ReadAsync<JsonElement>();
        AssertEveryPointHas(2, progress);
        var fields = progress.GetProperty("progress").EnumerateArray().Single(unit => Text(unit, "unitId") == Unit1.ToString()).GetProperty("fields");
        Assert.Equal(
            [("1", "3.00", "2.50", "0.50"), ("2", "3.00", "2.00", "2.50")],
            fields.EnumerateArray().Select(field => (Text(field, "fieldCode"), Raw(field, "maxPoints"), Raw(field, "selfScore"), Raw(field, "appraisedScore"))));

        // The audit log (and its CSV export) records scores in the same shape.
        var audit = await Platform.AuditAsync(assessment.Id);
        Assert.Equal(
            [("1.1.1", "selfScore", "1.00"), ("1.1.2", "selfScore", "1.50"), ("2.1.1", "selfScore", "2.25"), ("2.1.2", "selfScore", "-0.25"),
             ("1.1.1", "appraisedScore1", "0.50"), ("2.1.1", "appraisedScore1", "2.50")],
            audit.Where(entry => entry.Field is "selfScore" or "appraisedScore1").Select(entry => (entry.ItemCode!, entry.Field, entry.After!)));
    }

    [Fact]
    public async Task A_set_scored_in_steps_of_half_a_point_shows_one_decimal_over_REST_and_gRPC()
    {
        var assessment = await Platform.StartAsync(round: HalfStepRoundId);
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.5m, caller: Officer1)).ReadAsync<ItemDto>();
        await (await RawPutAsync(assessment.Id, "2.1.1", """{"selfScore": 2.00}""")).ReadAsync<JsonElement>();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.25m)).ProblemAsync(422, "urn:par:submission:score-step");

        var view = await RestAsync(assessment.Id);
        Assert.Equal(
        [
            ("1.1.1", "1.0", null),
            ("1.1.2", "2.0", "1.5"),
            ("2.1.1", "3.0", "2.0"),
            ("2.1.2", "0.0", null),
        ], Items(view).Select(item => (Text(item, "code"), Raw(item, "maxPoints"), Raw(item, "selfScore"))));
        AssertEveryPointHas(1, view);
        await AssertSameOverGrpcAsync(view, HalfStepRoundId);
    }

    /// <summary>The gRPC summary of the same assessment, compared with the REST answer item by item and field by field.</summary>
    private async Task AssertSameOverGrpcAsync(JsonElement rest, Guid? round = null)
    {
        var client = new SubmissionService.SubmissionServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(Platform.SubmissionGrpcAddress));
        var summary = await client.GetAssessmentAsync(
            new GetAssessmentRequest { RoundId = (round ?? RoundId).ToString(), UnitId = Unit1.ToString() }, Appraiser.GrpcHeaders());
        Assert.Equal(
            Items(rest).Select(item => (Text(item, "code")!, Raw(item, "selfScore") ?? "", Raw(item, "appraisedScore") ?? "")),
            summary.Items.Select(item => (item.Code, item.SelfScore, item.AppraisedScore)));
    }

    /// <summary>Every number in the answer that is not a count is a point figure with exactly <paramref name="decimals"/> decimals.</summary>
    private static void AssertEveryPointHas(int decimals, JsonElement answer)
    {
        var figures = Numbers(answer, "$").Where(number => !Counts.Contains(number.Member)).ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, number =>
        {
            var dot = number.Raw.IndexOf('.');
            Assert.True(decimals == 0 ? dot < 0 : dot >= 0 && number.Raw.Length - dot - 1 == decimals,
                $"{number.Path} is {number.Raw}, not a figure with {decimals} decimals");
        });
    }

    private static IEnumerable<(string Path, string Member, string Raw)> Numbers(JsonElement element, string path, string member = "") =>
        element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Numbers(property.Value, $"{path}.{property.Name}", property.Name)),
            JsonValueKind.Array => element.EnumerateArray().SelectMany((item, index) => Numbers(item, $"{path}[{index}]", member)),
            JsonValueKind.Number => [(path, member, element.GetRawText())],
            _ => [],
        };

    private async Task<JsonElement> RestAsync(Guid assessment) =>
        await (await Platform.SubmissionAs(Admin).GetAsync($"/api/submission/assessments/{assessment}")).ReadAsync<JsonElement>();

    private Task<HttpResponseMessage> RawPutAsync(Guid assessment, string code, string json) =>
        Platform.SubmissionAs(Officer1).PutAsync($"/api/submission/assessments/{assessment}/items/{code}",
            new StringContent(json, Encoding.UTF8, "application/json"));

    private static IEnumerable<JsonElement> Items(JsonElement assessment) => assessment.GetProperty("items").EnumerateArray();

    private static string? Text(JsonElement element, string member) => element.GetProperty(member).GetString();

    /// <summary>A number exactly as it was written in the JSON ("2.25", "15.00"), null for null.</summary>
    private static string? Raw(JsonElement element, string member) =>
        element.GetProperty(member) is { ValueKind: not JsonValueKind.Null } value ? value.GetRawText() : null;
}
