using System.Text;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

public sealed class AppraisalTests : PlatformTest
{
    [Fact]
    public async Task Two_appraisal_rounds_with_supplementary_evidence_only_on_requested_items_before_their_due_date()
    {
        var assessment = await Platform.UnderAppraisalAsync();
        var id = assessment.Id;
        Assert.Equal("UnderAppraisal", assessment.Status);

        // First appraisal: adjust 1.1.1, ask for evidence on 2.1.1.
        await (await Platform.AppraiseAsync(id, "1.1.1", 0.5m, "Kế hoạch ban hành muộn")).ReadAsync<ItemDto>();
        var due = SelfAssessmentCloses.AddDays(10);
        await (await Platform.UploadAsync(Steps.Pdf, "bo-sung.pdf")).ProblemAsync(409, "urn:par:evidence-storage:round-locked");
        await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{id}/appraisal/supplementary",
            new { itemCodes = new[] { "2.1.1" }, dueAt = due, note = "Bổ sung báo cáo tình hình giải quyết hồ sơ" })).ReadAsync<AssessmentDto>();

        // The round is locked, but with a request open the unit may add new files (another unit still may not)...
        var evidence = await (await Platform.UploadAsync([.. Steps.Pdf, 1, 2, 3], "bo-sung.pdf")).ReadAsync<EvidenceDto>();
        await (await Platform.UploadAsync(Steps.Pdf, "khac.pdf", Officer2)).ProblemAsync(409, "urn:par:evidence-storage:round-locked");
        // ...and attach them to 2.1.1 only, without changing its score.
        await (await Platform.ScoreAsync(id, "1.1.2", 1.5m, explanation: "sửa")).ProblemAsync(409, "urn:par:submission:supplementary-not-open");
        await (await Platform.ScoreAsync(id, "2.1.1", 3m)).ProblemAsync(409, "urn:par:submission:score-locked");
        var supplemented = await (await Platform.ScoreAsync(id, "2.1.1", 2m, explanation: "Đã bổ sung báo cáo", evidence: [evidence.Id]))
            .ReadAsync<ItemDto>();
        Assert.Equal([evidence.Id], supplemented.EvidenceIds);

        // Second appraisal keeps the first round's scores.
        await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/second-round", null)).ReadAsync<AssessmentDto>();
        await (await Platform.AppraiseAsync(id, "2.1.1", 2.5m, "Chấp nhận một phần")).ReadAsync<ItemDto>();

        // After the due date the request is closed.
        Platform.Clock.SetUtcNow(due);
        await (await Platform.ScoreAsync(id, "2.1.1", 2m, explanation: "muộn")).ProblemAsync(409, "urn:par:submission:supplementary-not-open");
        await (await Platform.UploadAsync(Steps.Pdf, "muon.pdf")).ProblemAsync(409, "urn:par:evidence-storage:round-locked");

        var finalized = await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/finalize", null))
            .ReadAsync<AssessmentDto>();
        Assert.Equal("Finalized", finalized.Status);
        Assert.Equal(1, finalized.Revision);
        Assert.Equal(0.5m, finalized.Item("1.1.1").AppraisedScore1);
        Assert.Null(finalized.Item("1.1.1").AppraisedScore2);
        Assert.Equal(2.5m, finalized.Item("2.1.1").AppraisedScore2);
        Assert.Equal("Đã bổ sung báo cáo", finalized.Item("2.1.1").Explanation);

        // Nothing changes after finalisation.
        await (await Platform.AppraiseAsync(id, "1.1.2", 1m)).ProblemAsync(409, "urn:par:submission:invalid-status");
    }

    [Fact]
    public async Task Finalising_waits_for_open_supplementary_requests_and_every_rounds_value_is_kept_across_reopening()
    {
        var assessment = await Platform.UnderAppraisalAsync();
        var id = assessment.Id;
        var finalize = $"/api/submission/assessments/{id}/appraisal/finalize";
        await (await Platform.AppraiseAsync(id, "2.1.1", 1.5m, "Thiếu báo cáo", caller: NamedAppraiser)).ReadAsync<ItemDto>();
        await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{id}/appraisal/supplementary",
            new { itemCodes = new[] { "2.1.1" }, dueAt = SelfAssessmentCloses.AddDays(10), note = "Bổ sung báo cáo" })).ReadAsync<AssessmentDto>();

        // The unit was given until the due date: no finalising before it, unless the appraiser closes the request.
        var refused = await (await Platform.SubmissionAs(Appraiser).PostAsync(finalize, null)).ProblemAsync(409, "urn:par:submission:supplementary-open");
        Assert.Equal(["2.1.1"], refused.GetProperty("items").EnumerateArray().Select(item => item.GetString()));
        var closed = await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{id}/appraisal/supplementary/close",
            new { note = "Đơn vị đã gửi đủ" })).ReadAsync<AssessmentDto>();
        Assert.Equal("UnderAppraisal", closed.Status);
        await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/second-round", null)).ReadAsync<AssessmentDto>();
        await (await Platform.AppraiseAsync(id, "2.1.1", 2.5m, "Đã bổ sung", caller: NamedAppraiser)).ReadAsync<ItemDto>();
        await (await Platform.SubmissionAs(Appraiser).PostAsync(finalize, null)).ReadAsync<AssessmentDto>();

        // Reopened after the second appraisal, the item is appraised again: the earlier second-round value stays in its history.
        await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{id}/reopen", new { reason = "Khiếu nại" }))
            .ReadAsync<AssessmentDto>();
        await (await Platform.AppraiseAsync(id, "2.1.1", 3m, "Chấp nhận khiếu nại")).ReadAsync<ItemDto>();
        var final = await (await Platform.SubmissionAs(Appraiser).PostAsync(finalize, null)).ReadAsync<AssessmentDto>();

        var item = final.Item("2.1.1");
        Assert.Equal((1.5m, 3m, 3m), (item.AppraisedScore1!.Value, item.AppraisedScore2!.Value, item.AppraisedScore!.Value));
        Assert.Equal(
            [(0, 1, 1.5m, "Trần Văn Thẩm"), (0, 2, 2.5m, "Trần Văn Thẩm"), (1, 2, 3m, "appraiser-1")],
            item.Appraisals.Select(value => (value.Revision, value.AppraisalRound, value.Score, value.UserName)));
        Assert.Empty(final.Item("1.1.2").Appraisals);
    }

    [Fact]
    public async Task The_audit_log_names_who_made_each_change()
    {
        var assessment = await Platform.StartAsync(NamedOfficer1);
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1m, caller: NamedOfficer1)).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(assessment.Id, "1.1.2", 1.5m, caller: Officer1)).ReadAsync<ItemDto>();

        var audit = await Platform.AuditAsync(assessment.Id);
        Assert.Equal(
            [("officer-1", "Nguyễn Thị Hoà", "status"), ("officer-1", "Nguyễn Thị Hoà", "selfScore"), ("officer-1", "officer-1", "selfScore")],
            audit.Select(entry => (entry.UserId, entry.UserName, entry.Field)));
        var csv = await (await Platform.SubmissionAs(Admin).GetAsync($"/api/submission/assessments/{assessment.Id}/audit.csv")).Content.ReadAsStringAsync();
        Assert.StartsWith("id,at,user,name,role,", csv.TrimStart('\uFEFF'));
        Assert.Contains(",officer-1,Nguyễn Thị Hoà,unit-officer,1.1.2,selfScore,,1.00,", csv);
    }

    [Fact]
    public async Task Only_appraisers_of_the_rounds_tenant_appraise_and_scores_obey_the_same_rules()
    {
        var assessment = await Platform.UnderAppraisalAsync();

        await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 0.5m, caller: OtherTenantAppraiser)).ProblemAsync(404, "urn:par:submission:not-found");
        await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 0.5m, caller: Leader1)).ProblemAsync(403, "urn:par:submission:forbidden");
        await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 0.5m, caller: Admin)).ProblemAsync(403, "urn:par:submission:forbidden");
        await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 2m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await Platform.AppraiseAsync(assessment.Id, "1.1.1", 0.1m)).ProblemAsync(422, "urn:par:submission:score-step");
        await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/appraisal/finalize", null))
            .ProblemAsync(403, "urn:par:submission:forbidden");
    }

    [Fact]
    public async Task Reopening_needs_a_reason_and_every_change_is_in_the_audit_log()
    {
        var assessment = await Platform.UnderAppraisalAsync();
        var id = assessment.Id;
        await (await Platform.AppraiseAsync(id, "1.1.2", 1m, "Chưa đạt chỉ tiêu")).ReadAsync<ItemDto>();
        await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/finalize", null)).ReadAsync<AssessmentDto>();

        await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{id}/reopen", new { reason = " " }))
            .ProblemAsync(422, "urn:par:submission:reason-required");
        var reopened = await (await Platform.SubmissionAs(Appraiser).PostJsonAsync($"/api/submission/assessments/{id}/reopen",
            new { reason = "Đơn vị khiếu nại tiêu chí 1.1.2" })).ReadAsync<AssessmentDto>();
        Assert.Equal("UnderAppraisal", reopened.Status);
        await (await Platform.AppraiseAsync(id, "1.1.2", 1.5m, "Chấp nhận khiếu nại")).ReadAsync<ItemDto>();
        var refinalized = await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/finalize", null))
            .ReadAsync<AssessmentDto>();
        Assert.Equal(2, refinalized.Revision);

        var audit = await Platform.AuditAsync(id);
        string Row(AuditDto entry) => $"{entry.UserId}|{entry.ItemCode}|{entry.Field}|{entry.Before}|{entry.After}|{entry.Reason}";
        var rows = audit.Select(Row).ToList();
        var expected = new[]
        {
            "officer-1||status||Draft|",
            "officer-1|1.1.1|selfScore||1.00|",
            $"officer-1|1.1.1|evidenceIds||{assessment.Item("1.1.1").EvidenceIds.Single()}|",
            "officer-1|1.1.2|selfScore||1.50|",
            "officer-1|2.1.1|selfScore||2.00|",
            "officer-1|2.1.1|explanation||Văn bản đang chờ ký, sẽ bổ sung|",
            "officer-1|2.1.2|selfScore||-0.25|",
            "officer-1||status|Draft|SubmittedForApproval|",
            "leader-1||status|SubmittedForApproval|Approved|",
            "appraiser-1||status|Approved|UnderAppraisal|",
            "appraiser-1|1.1.2|appraisedScore1||1.00|",
            "appraiser-1|1.1.2|appraiserComment||Chưa đạt chỉ tiêu|",
            "appraiser-1||status|UnderAppraisal|Finalized|",
            "appraiser-1||status|Finalized|UnderAppraisal|Đơn vị khiếu nại tiêu chí 1.1.2",
            "appraiser-1|1.1.2|appraisedScore1|1.00|1.50|",
            "appraiser-1|1.1.2|appraiserComment|Chưa đạt chỉ tiêu|Chấp nhận khiếu nại|",
            "appraiser-1||status|UnderAppraisal|Finalized|",
        };
        Assert.Equal(expected, rows);
        Assert.All(audit, entry => Assert.False(string.IsNullOrEmpty(entry.Role)));

        var csv = await Platform.SubmissionAs(Leader1).GetAsync($"/api/submission/assessments/{id}/audit.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Length + 1, lines.Length);
        // user id, then the name (the id when the token carries no name)
        Assert.Contains("appraiser-1,appraiser-1,appraiser,,status,Finalized,UnderAppraisal,Đơn vị khiếu nại tiêu chí 1.1.2", lines[14]);
        Assert.Contains("'-0.25", lines[7]); // a leading minus never becomes a spreadsheet formula
    }

    [Fact]
    public async Task Progress_shows_units_not_submitted_items_scored_missing_evidence_and_self_vs_appraised_per_field()
    {
        var appraised = await Platform.ApprovedAssessmentAsync();
        var draft = await Platform.StartAsync(Officer2, Unit2);
        await (await Platform.ScoreAsync(draft.Id, "1.1.2", 2m, caller: Officer2)).ReadAsync<ItemDto>();
        Platform.Clock.SetUtcNow(SelfAssessmentCloses.AddHours(1));
        await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{appraised.Id}/appraisal/start", null)).ReadAsync<AssessmentDto>();
        await (await Platform.AppraiseAsync(appraised.Id, "1.1.2", 1m)).ReadAsync<ItemDto>();

        await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/rounds/{RoundId}/progress")).ProblemAsync(403, "urn:par:submission:forbidden");
        var progress = await (await Platform.SubmissionAs(Admin).GetAsync($"/api/submission/rounds/{RoundId}/progress")).ReadAsync<ProgressDto>();

        Assert.Equal(3, progress.Units);
        Assert.Equal([Unit2, Unit3], progress.NotSubmitted);
        var unit1 = progress.Progress.Single(unit => unit.UnitId == Unit1);
        Assert.Equal(("UnderAppraisal", 4, 4, 0), (unit1.Status, unit1.Items, unit1.Scored, unit1.MissingEvidence));
        var field1 = unit1.Fields.Single(field => field.FieldCode == "1");
        Assert.Equal((3m, 2.5m, 1m), (field1.MaxPoints, field1.SelfScore!.Value, field1.AppraisedScore!.Value));
        var unit2 = progress.Progress.Single(unit => unit.UnitId == Unit2);
        Assert.Equal(("Draft", 4, 1, 2), (unit2.Status, unit2.Items, unit2.Scored, unit2.MissingEvidence));
        Assert.Equal("NotStarted", progress.Progress.Single(unit => unit.UnitId == Unit3).Status);
    }

    [Fact]
    public async Task While_the_criteria_service_is_down_a_start_or_the_progress_is_503_and_nothing_starts()
    {
        Platform.Criteria.Data.Unavailable = true;

        await (await Platform.SubmissionAs(Admin).GetAsync($"/api/submission/rounds/{RoundId}/progress"))
            .ProblemAsync(503, "urn:par:submission:criteria-unavailable");
        await (await Platform.SubmissionAs(Officer1).PostJsonAsync("/api/submission/assessments", new { roundId = RoundId, unitId = Unit1 }))
            .ProblemAsync(503, "urn:par:submission:criteria-unavailable");

        Platform.Criteria.Data.Unavailable = false;
        var progress = await (await Platform.SubmissionAs(Admin).GetAsync($"/api/submission/rounds/{RoundId}/progress")).ReadAsync<ProgressDto>();
        Assert.Equal(["NotStarted", "NotStarted", "NotStarted"], progress.Progress.Select(unit => unit.Status));
    }

    public sealed record ProgressDto(Guid RoundId, int Units, List<Guid> NotSubmitted, List<UnitProgressDto> Progress);
    public sealed record UnitProgressDto(Guid UnitId, string Status, int Items, int Scored, int MissingEvidence, List<FieldDto> Fields);
    public sealed record FieldDto(string FieldCode, decimal MaxPoints, decimal? SelfScore, decimal? AppraisedScore);
}
