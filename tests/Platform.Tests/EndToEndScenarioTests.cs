using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Testing;
using static ParPlatform.Platform.Tests.Gateway;

namespace ParPlatform.Platform.Tests;

/// <summary>
/// The assessment cycle end to end, through the gateway only, with real tokens from the identity service: a unit
/// scores every item, attaches evidence, explains the rest, its leader approves, the window closes by the server
/// clock, an appraiser adjusts three items and finalises. Also a ministry client reading a round and its tree.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EndToEndScenarioTests(PlatformFixture platform)
{
    // Demo data seeded by the criteria and identity services (fixed ids, see services/Criteria/Seed/SeedIds.cs).
    private static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");
    private static readonly Guid DepartmentsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000001");

    [Fact]
    public async Task A_unit_self_assesses_its_leader_approves_the_window_locks_and_an_appraiser_finalises()
    {
        var gateway = platform.App.GatewayHttp;
        using var admin = await Gateway.SignInAsync(gateway, "qn.quantri");
        using var officer = await Gateway.SignInAsync(gateway, "qn.tuphap.canbo");
        using var leader = await Gateway.SignInAsync(gateway, "qn.tuphap.lanhdao");
        using var appraiser = await Gateway.SignInAsync(gateway, "qn.thamdinh");

        // A round whose self-assessment window closes shortly, so the lock can be seen by the server clock.
        var now = DateTimeOffset.UtcNow;
        var selfAssessmentCloses = now.AddSeconds(45);
        var yearSetId = await Gateway.ThisYearsDepartmentSetAsync(admin, "E2E");
        var round = await Json(await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = now.Year,
            name = "Kiểm thử đầu cuối " + Guid.NewGuid().ToString("N")[..6],
            criteriaSetId = yearSetId,
            rankingGroup = "e2e-" + Guid.NewGuid().ToString("N")[..8],
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-1), selfAssessmentClosesAt = selfAssessmentCloses,
                appraisalOpensAt = selfAssessmentCloses, appraisalClosesAt = now.AddHours(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = now.AddHours(2), publicationAt = now.AddHours(3),
            },
        }), HttpStatusCode.Created);
        var roundId = round.GetProperty("id").GetGuid();
        await Json(await admin.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units", new { unitIds = new[] { SoTuPhap } }), HttpStatusCode.NoContent);

        // The unit starts its self-assessment, attaches a PDF to the first evidence-required item, explains the rest.
        var assessment = await Json(await officer.PostAsJsonAsync("/api/submission/assessments", new { roundId, unitId = SoTuPhap }), HttpStatusCode.Created);
        var assessmentId = assessment.GetProperty("id").GetGuid();
        var items = assessment.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var pdf = new ByteArrayContent("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray());
        pdf.Headers.ContentType = new("application/pdf");
        var evidence = await Json(await officer.PostAsync(
            $"/api/evidence-storage/rounds/{roundId}/evidence?fileName=ke-hoach-cchc.pdf&title=K%E1%BA%BF%20ho%E1%BA%A1ch%20CCHC&documentNumber=12%2FKH-STP&issuer=S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p&issueDate=2026-01-15", pdf),
            HttpStatusCode.Created);
        var evidenceId = evidence.GetProperty("id").GetGuid();
        var attached = false;
        foreach (var item in items)
        {
            var code = item.GetProperty("code").GetString();
            var needsEvidence = item.GetProperty("evidenceRequired").GetBoolean();
            object update = needsEvidence && !attached
                ? new { selfScore = item.GetProperty("maxPoints").GetDecimal(), evidenceIds = new[] { evidenceId } }
                : new { selfScore = item.GetProperty("maxPoints").GetDecimal(), explanation = "Đơn vị giải trình: tài liệu đang được bổ sung." };
            attached |= needsEvidence;
            await Json(await officer.PutAsJsonAsync($"/api/submission/assessments/{assessmentId}/items/{code}", update), HttpStatusCode.OK);
        }
        await Json(await officer.PostAsync($"/api/submission/assessments/{assessmentId}/submit", null), HttpStatusCode.OK);

        // Only the leader approves.
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"/api/submission/assessments/{assessmentId}/approve", null)).StatusCode);
        await Json(await leader.PostAsync($"/api/submission/assessments/{assessmentId}/approve", null), HttpStatusCode.OK);

        // The window closes by the server clock: no job runs, yet writes are refused.
        var wait = selfAssessmentCloses - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        var firstCode = items[0].GetProperty("code").GetString();
        var late = await officer.PutAsJsonAsync($"/api/submission/assessments/{assessmentId}/items/{firstCode}", new { selfScore = 0m });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);

        // The appraiser adjusts three items and finalises.
        await Json(await appraiser.PostAsync($"/api/submission/assessments/{assessmentId}/appraisal/start", null), HttpStatusCode.OK);
        foreach (var item in items.Take(3))
        {
            await Json(await appraiser.PutAsJsonAsync(
                $"/api/submission/assessments/{assessmentId}/appraisal/items/{item.GetProperty("code").GetString()}",
                new { score = item.GetProperty("minPoints").GetDecimal(), comment = "Chưa đủ tài liệu kiểm chứng." }), HttpStatusCode.OK);
        }
        var finalised = await Json(await appraiser.PostAsync($"/api/submission/assessments/{assessmentId}/appraisal/finalize", null), HttpStatusCode.OK);
        Assert.Equal("Finalized", finalised.GetProperty("status").GetString());

        var audit = await Json(await officer.GetAsync($"/api/submission/assessments/{assessmentId}/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetArrayLength() >= items.Count + 6, "every change is in the audit log");
    }

    [Fact]
    public async Task A_ministry_client_reads_a_round_and_its_whole_criteria_tree_over_rest_and_grpc()
    {
        using var ministry = await Gateway.MachineClientAsync(platform.App.GatewayHttp, "ministry-reporting");
        var round = await Json(await ministry.GetAsync($"/api/criteria/rounds/{DepartmentsRound2024}"), HttpStatusCode.OK);
        var setId = round.GetProperty("criteriaSetId").GetGuid();
        var set = await Json(await ministry.GetAsync($"/api/criteria/sets/{setId}"), HttpStatusCode.OK);
        Assert.Equal(100m, set.GetProperty("definition").GetProperty("maxPoints").GetDecimal());

        using var channel = GrpcChannel.ForAddress(platform.App.GatewayGrpc);
        var criteria = new CriteriaService.CriteriaServiceClient(channel);
        var grpcRound = await criteria.GetRoundAsync(new GetRoundRequest { RoundId = DepartmentsRound2024.ToString() }, Gateway.Bearer(ministry));
        var tree = await criteria.GetCriteriaSetAsync(new GetCriteriaSetRequest { SetId = grpcRound.CriteriaSetId }, Gateway.Bearer(ministry));
        Assert.Equal(setId.ToString(), tree.Id);
        var subCriteria = tree.Fields.SelectMany(field => field.Children).SelectMany(criterion => criterion.Children).ToList();
        Assert.NotEmpty(subCriteria);
        Assert.Equal("35", tree.SurveyPoints.TrimEnd('0').TrimEnd('.'));
    }

    [Fact]
    public async Task Without_a_token_the_gateway_refuses_and_forged_identity_headers_do_not_help()
    {
        using var http = new HttpClient { BaseAddress = platform.App.GatewayHttp };
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"/api/criteria/rounds/{DepartmentsRound2024}");
        new TestCaller("attacker", "national-admin", "national").Apply(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
    }
}
