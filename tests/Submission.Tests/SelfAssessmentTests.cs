using Dapper;
using Grpc.Core;
using Npgsql;
using ParPlatform.Contracts.Submission.V1;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

public sealed class SelfAssessmentTests : PlatformTest
{
    [Fact]
    public async Task Starting_creates_one_item_per_appraised_sub_criterion_once()
    {
        var created = await Platform.StartAsync();
        var again = await Platform.StartAsync(Leader1);

        Assert.Equal(AppraisedCodes, created.Items.Select(item => item.Code));
        Assert.Equal(created.Id, again.Id);
        Assert.Equal("Draft", created.Status);
        Assert.True(created.Item("1.1.1").EvidenceRequired);
        Assert.Equal(-1m, created.Item("2.1.2").MinPoints);
        var found = await (await Platform.SubmissionAs(Appraiser).GetAsync($"/api/submission/rounds/{RoundId}/units/{Unit1}/assessment"))
            .ReadAsync<AssessmentDto>();
        Assert.Equal(created.Id, found.Id);
    }

    [Fact]
    public async Task Scores_out_of_range_or_off_step_are_refused_and_nothing_is_saved()
    {
        var assessment = await Platform.StartAsync();

        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1.25m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", -0.25m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await Platform.ScoreAsync(assessment.Id, "2.1.2", -1.25m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 0.3m)).ProblemAsync(422, "urn:par:submission:score-step");

        var unchanged = await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment.Id}")).ReadAsync<AssessmentDto>();
        Assert.All(unchanged.Items, item => Assert.Null(item.SelfScore));
        Assert.Single(await Platform.AuditAsync(assessment.Id)); // only the creation

        // The deduction item takes negative points down to its limit.
        var penalty = await (await Platform.ScoreAsync(assessment.Id, "2.1.2", -1m)).ReadAsync<ItemDto>();
        Assert.Equal(-1m, penalty.SelfScore);
    }

    [Fact]
    public async Task A_partial_update_keeps_what_it_leaves_out_null_clears_and_scores_are_read_exactly()
    {
        var assessment = await Platform.StartAsync();
        var evidence = await Platform.UploadPdfAsync();
        var path = $"/api/submission/assessments/{assessment.Id}/items/1.1.1";
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, explanation: "Kế hoạch số 12/KH-STP", evidence: [evidence.Id])).ReadAsync<ItemDto>();

        // Only the score changes, by PATCH (JSON merge patch) and by PUT alike: explanation and evidence stay.
        var patched = await (await SendAsync(HttpMethod.Patch, path, """{"selfScore": 0.5}""", "application/merge-patch+json")).ReadAsync<ItemDto>();
        Assert.Equal((0.5m, "Kế hoạch số 12/KH-STP"), (patched.SelfScore, patched.Explanation));
        Assert.Equal([evidence.Id], patched.EvidenceIds);
        var put = await (await SendAsync(HttpMethod.Put, path, """{"selfScore": 0.75}""")).ReadAsync<ItemDto>();
        Assert.Equal((0.75m, "Kế hoạch số 12/KH-STP"), (put.SelfScore, put.Explanation));
        Assert.Equal([evidence.Id], put.EvidenceIds);

        // null clears one member, the others stay.
        var cleared = await (await SendAsync(HttpMethod.Patch, path, """{"explanation": null}""")).ReadAsync<ItemDto>();
        Assert.Equal((0.75m, (string?)null), (cleared.SelfScore, cleared.Explanation));
        Assert.Equal([evidence.Id], cleared.EvidenceIds);
        var detached = await (await SendAsync(HttpMethod.Patch, path, """{"evidenceIds": null, "explanation": "Đã thay bằng giải trình"}""")).ReadAsync<ItemDto>();
        Assert.Equal((0.75m, "Đã thay bằng giải trình"), (detached.SelfScore, detached.Explanation));
        Assert.Equal(Array.Empty<Guid>(), detached.EvidenceIds);

        // A score a decimal cannot hold exactly is refused, not rounded onto the step; the maximum still holds.
        await (await SendAsync(HttpMethod.Patch, path, """{"selfScore": 0.2500000000000000000000000000001}"""))
            .ProblemAsync(422, "urn:par:submission:score-precision");
        await (await SendAsync(HttpMethod.Put, path, """{"selfScore": 1.0000000000000000000000000000001}"""))
            .ProblemAsync(422, "urn:par:submission:score-precision");
        await (await SendAsync(HttpMethod.Patch, path, """{"selfScore": 1.25}""")).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await SendAsync(HttpMethod.Patch, path, """{"selfScore": 0.3}""")).ProblemAsync(422, "urn:par:submission:score-step");
        Assert.Equal(0.25m, (await (await SendAsync(HttpMethod.Patch, path, """{"selfScore": 2.5e-1}""")).ReadAsync<ItemDto>()).SelfScore);

        // What cannot be read is named.
        var unknown = await (await SendAsync(HttpMethod.Patch, path, """{"selfscore": 0.5, "explaination": "x"}""")).ProblemAsync(400, "urn:par:submission:invalid-body");
        Assert.Contains("explaination", unknown.GetProperty("detail").GetString());
        await (await SendAsync(HttpMethod.Patch, path, """{"selfScore": "0.5"}""")).ProblemAsync(400, "urn:par:submission:invalid-body");
        await (await SendAsync(HttpMethod.Patch, path, """{"evidenceIds": ["not-an-id"]}""")).ProblemAsync(400, "urn:par:submission:invalid-body");

        var saved = (await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment.Id}")).ReadAsync<AssessmentDto>()).Item("1.1.1");
        Assert.Equal((0.25m, "Đã thay bằng giải trình"), (saved.SelfScore, saved.Explanation));
        Assert.Equal(Array.Empty<Guid>(), saved.EvidenceIds);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json, string mediaType = "application/json") =>
        Platform.SubmissionAs(Officer1).SendAsync(new HttpRequestMessage(method, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, mediaType),
        });

    [Fact]
    public async Task Submission_reports_every_item_lacking_evidence_and_explanation_at_once()
    {
        var assessment = await Platform.StartAsync();
        foreach (var (code, score) in new[] { ("1.1.1", 1m), ("1.1.2", 2m), ("2.1.1", 3m), ("2.1.2", 0m) })
        {
            await (await Platform.ScoreAsync(assessment.Id, code, score)).ReadAsync<ItemDto>();
        }

        var problem = await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/submit", null))
            .ProblemAsync(422, "urn:par:submission:evidence-missing");
        Assert.Equal(["1.1.1", "2.1.1"], problem.GetProperty("items").EnumerateArray().Select(item => item.GetString()));

        // An explanation is enough where evidence is missing (giải trình).
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, explanation: "Kế hoạch lồng ghép trong kế hoạch chung")).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "2.1.1", 3m, evidence: [(await Platform.UploadPdfAsync()).Id])).ReadAsync<ItemDto>();
        var submitted = await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/submit", null))
            .ReadAsync<AssessmentDto>();
        Assert.Equal("SubmittedForApproval", submitted.Status);
    }

    [Fact]
    public async Task Writes_are_refused_once_the_window_closes_by_the_server_clock()
    {
        var assessment = await Platform.StartAsync();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1m)).ReadAsync<ItemDto>();

        Platform.Clock.SetUtcNow(SelfAssessmentCloses.AddTicks(-1));
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.5m)).ReadAsync<ItemDto>();

        // No job runs at the deadline: the next write simply finds the window closed.
        Platform.Clock.SetUtcNow(SelfAssessmentCloses);
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 2m)).ProblemAsync(409, "urn:par:submission:self-assessment-closed");
        await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/submit", null))
            .ProblemAsync(409, "urn:par:submission:self-assessment-closed");
        await (await Platform.SubmissionAs(Officer2).PostJsonAsync("/api/submission/assessments", new { roundId = RoundId, unitId = Unit2 }))
            .ProblemAsync(409, "urn:par:submission:self-assessment-closed");

        var after = await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment.Id}")).ReadAsync<AssessmentDto>();
        Assert.Equal(1.5m, after.Item("1.1.2").SelfScore);
    }

    [Fact]
    public async Task Other_units_and_tenants_can_neither_write_nor_read()
    {
        var assessment = await Platform.StartAsync();

        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1m, caller: Officer2)).ProblemAsync(403, "urn:par:submission:forbidden");
        // Another tenant's assessment is not even there for the caller: row-level security hides it (404, as for a random id).
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1m, caller: OtherTenantOfficer)).ProblemAsync(404, "urn:par:submission:not-found");
        await (await Platform.SubmissionAs(Officer2).GetAsync($"/api/submission/assessments/{assessment.Id}")).ProblemAsync(403, "urn:par:submission:forbidden");
        await (await Platform.SubmissionAs(OtherTenantAppraiser).GetAsync($"/api/submission/assessments/{assessment.Id}")).ProblemAsync(404, "urn:par:submission:not-found");
        await (await Platform.SubmissionAs(Officer2).PostJsonAsync("/api/submission/assessments", new { roundId = RoundId, unitId = Unit1 }))
            .ProblemAsync(403, "urn:par:submission:forbidden");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized,
            (await new HttpClient().GetAsync(new Uri(Platform.Submission!.HttpAddress, $"/api/submission/assessments/{assessment.Id}"))).StatusCode);
    }

    [Fact]
    public async Task Referenced_evidence_must_exist_and_belong_to_the_unit()
    {
        var assessment = await Platform.StartAsync();
        var foreign = await Platform.UploadPdfAsync(Officer2);
        var own = await Platform.UploadPdfAsync(Officer1);

        var problem = await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, evidence: [own.Id, foreign.Id, Guid.NewGuid()]))
            .ProblemAsync(422, "urn:par:submission:evidence-not-found");
        Assert.Equal(2, problem.GetProperty("items").GetArrayLength());

        var item = await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, evidence: [own.Id])).ReadAsync<ItemDto>();
        Assert.Equal([own.Id], item.EvidenceIds);
    }

    [Fact]
    public async Task Only_the_units_leader_approves_a_submitted_self_assessment()
    {
        var assessment = await Platform.StartAsync();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.1", 1m, explanation: "Giải trình")).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 2m)).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "2.1.1", 3m, explanation: "Giải trình")).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "2.1.2", 0m)).ReadAsync<ItemDto>();
        var approve = $"/api/submission/assessments/{assessment.Id}/approve";

        // Not before it is submitted, not by an officer, not by another unit's leader.
        await (await Platform.SubmissionAs(Leader1).PostAsync(approve, null)).ProblemAsync(409, "urn:par:submission:invalid-status");
        await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/submit", null)).ReadAsync<AssessmentDto>();
        await (await Platform.SubmissionAs(Officer1).PostAsync(approve, null)).ProblemAsync(403, "urn:par:submission:leader-only");
        await (await Platform.SubmissionAs(Leader2).PostAsync(approve, null)).ProblemAsync(403, "urn:par:submission:leader-only");
        await (await Platform.SubmissionAs(Appraiser).PostAsync(approve, null)).ProblemAsync(403, "urn:par:submission:leader-only");

        var approved = await (await Platform.SubmissionAs(Leader1).PostAsync(approve, null)).ReadAsync<AssessmentDto>();
        Assert.Equal("Approved", approved.Status);
    }

    [Fact]
    public async Task The_assessment_is_readable_over_grpc_by_its_unit_and_overseers_only()
    {
        var assessment = await Platform.StartAsync();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.5m)).ReadAsync<ItemDto>();
        var client = new SubmissionService.SubmissionServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(Platform.SubmissionGrpcAddress));
        var request = new GetAssessmentRequest { RoundId = RoundId.ToString(), UnitId = Unit1.ToString() };

        var summary = await client.GetAssessmentAsync(request, Appraiser.GrpcHeaders());
        Assert.Equal((assessment.Id.ToString(), "Draft", 4), (summary.Id, summary.Status, summary.Items.Count));
        Assert.Equal(("1.1.2", "1.50", ""), (summary.Items[1].Code, summary.Items[1].SelfScore, summary.Items[1].AppraisedScore));

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAssessmentAsync(request, Officer2.GrpcHeaders()));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetAssessmentAsync(new GetAssessmentRequest { RoundId = RoundId.ToString(), UnitId = Unit3.ToString() }, Appraiser.GrpcHeaders()));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
