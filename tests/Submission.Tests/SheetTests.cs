using MiniExcelLibs;
using static ParPlatform.Submission.Tests.Steps;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

public sealed class SheetTests : PlatformTest
{
    [Fact]
    public async Task The_sheet_exports_one_row_per_item_and_an_import_reports_every_bad_row_and_saves_nothing()
    {
        var assessment = await Platform.StartAsync();
        var evidence = await Platform.UploadPdfAsync();

        var exported = await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment.Id}/sheet.xlsx");
        var rows = (await new MemoryStream(await exported.Content.ReadAsByteArrayAsync()).QueryAsync(useHeaderRow: true))
            .Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(TestCriteria.AppraisedCodes, rows.Select(row => (string)row["Mã"]));

        var bad = await Platform.ImportSheetAsync(assessment.Id,
            SheetRow("1.1.1", 1, evidence: evidence.Id.ToString()),
            SheetRow("1.1.2", 5),
            SheetRow("2.1.1", "ba điểm"),
            SheetRow("9.9.9", 1),
            SheetRow("2.1.2", -0.3),
            SheetRow("1.1.1", 1));
        var problem = await bad.ProblemAsync(422, "urn:par:submission:sheet-invalid");
        var errors = problem.GetProperty("items").EnumerateArray()
            .Select(error => (error.GetProperty("row").GetInt32(), error.GetProperty("type").GetString())).ToList();
        Assert.Equal(
        [
            (3, "urn:par:submission:score-out-of-range"),
            (4, "urn:par:submission:sheet-value"),
            (5, "urn:par:submission:unknown-item"),
            (6, "urn:par:submission:score-step"),
            (7, "urn:par:submission:unknown-item"),
        ], errors);
        var untouched = await (await Platform.SubmissionAs(Officer1).GetAsync($"/api/submission/assessments/{assessment.Id}")).ReadAsync<AssessmentDto>();
        Assert.All(untouched.Items, item => Assert.Null(item.SelfScore));

        var imported = await (await Platform.ImportSheetAsync(assessment.Id,
            SheetRow("1.1.1", 1, evidence: evidence.Id.ToString()),
            SheetRow("1.1.2", 1.75),
            SheetRow("2.1.1", "2,5", explanation: "Báo cáo quý IV chưa ban hành"),
            SheetRow("2.1.2", -0.25))).ReadAsync<AssessmentDto>();
        Assert.Equal([1m, 1.75m, 2.5m, -0.25m], imported.Items.Select(item => item.SelfScore!.Value));
        Assert.Equal([evidence.Id], imported.Item("1.1.1").EvidenceIds);
        Assert.Equal(6, (await Platform.AuditAsync(assessment.Id)).Count(entry => entry.ItemCode is not null));
    }
}
