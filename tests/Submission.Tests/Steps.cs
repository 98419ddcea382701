using System.Net.Http.Headers;
using System.Text;
using MiniExcelLibs;
using ParPlatform.Testing;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

/// <summary>The steps scenarios share, each through the public REST APIs.</summary>
public static class Steps
{
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n");

    /// <summary>A PDF of exactly <paramref name="size"/> bytes: header, an object, padding in a comment, trailer.</summary>
    public static byte[] PdfOfSize(int size)
    {
        var head = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%");
        var tail = Encoding.ASCII.GetBytes("\ntrailer\n%%EOF\n");
        var pdf = new byte[size];
        head.CopyTo(pdf, 0);
        pdf.AsSpan(head.Length, size - head.Length - tail.Length).Fill((byte)' ');
        tail.CopyTo(pdf, size - tail.Length);
        return pdf;
    }

    public static async Task<AssessmentDto> StartAsync(this TestPlatform platform, TestCaller? caller = null, Guid? unit = null, Guid? round = null) =>
        await (await platform.SubmissionAs(caller ?? Officer1)
            .PostJsonAsync("/api/submission/assessments", new { roundId = round ?? RoundId, unitId = unit ?? Unit1 })).ReadAsync<AssessmentDto>();

    public static Task<HttpResponseMessage> ScoreAsync(this TestPlatform platform, Guid assessment, string code, decimal? score,
        string? explanation = null, Guid[]? evidence = null, TestCaller? caller = null) =>
        platform.SubmissionAs(caller ?? Officer1).PutJsonAsync($"/api/submission/assessments/{assessment}/items/{code}",
            new { selfScore = score, explanation, evidenceIds = evidence ?? [] });

    public static Task<HttpResponseMessage> UploadAsync(this TestPlatform platform, byte[] content, string fileName, TestCaller? caller = null,
        string issueDate = "2025-01-15")
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var query = $"fileName={Uri.EscapeDataString(fileName)}&title={Uri.EscapeDataString("Kế hoạch CCHC năm 2025")}" +
            $"&documentNumber=12%2FKH-UBND&issuer=UBND&issueDate={Uri.EscapeDataString(issueDate)}";
        return platform.EvidenceAs(caller ?? Officer1).PostAsync($"/api/evidence-storage/rounds/{RoundId}/evidence?{query}", body);
    }

    public static async Task<EvidenceDto> UploadPdfAsync(this TestPlatform platform, TestCaller? caller = null, string? marker = null) =>
        await (await platform.UploadAsync([.. Pdf, .. Encoding.ASCII.GetBytes(marker ?? Guid.NewGuid().ToString())], "ke-hoach.pdf", caller))
            .ReadAsync<EvidenceDto>();

    /// <summary>Every item scored, evidence on 1.1.1, an explanation on 2.1.1, submitted and approved by the leader.</summary>
    public static async Task<AssessmentDto> ApprovedAssessmentAsync(this TestPlatform platform)
    {
        var assessment = await platform.StartAsync();
        var evidence = await platform.UploadPdfAsync();
        await (await platform.ScoreAsync(assessment.Id, "1.1.1", 1m, evidence: [evidence.Id])).ReadAsync<ItemDto>();
        await (await platform.ScoreAsync(assessment.Id, "1.1.2", 1.5m)).ReadAsync<ItemDto>();
        await (await platform.ScoreAsync(assessment.Id, "2.1.1", 2m, explanation: "Văn bản đang chờ ký, sẽ bổ sung")).ReadAsync<ItemDto>();
        await (await platform.ScoreAsync(assessment.Id, "2.1.2", -0.25m)).ReadAsync<ItemDto>();
        await (await platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{assessment.Id}/submit", null)).ReadAsync<AssessmentDto>();
        return await (await platform.SubmissionAs(Leader1).PostAsync($"/api/submission/assessments/{assessment.Id}/approve", null)).ReadAsync<AssessmentDto>();
    }

    /// <summary>An approved assessment, the window closed, appraisal started.</summary>
    public static async Task<AssessmentDto> UnderAppraisalAsync(this TestPlatform platform)
    {
        var assessment = await platform.ApprovedAssessmentAsync();
        platform.Clock.SetUtcNow(SelfAssessmentCloses.AddHours(1));
        return await (await platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{assessment.Id}/appraisal/start", null))
            .ReadAsync<AssessmentDto>();
    }

    public static Task<HttpResponseMessage> AppraiseAsync(this TestPlatform platform, Guid assessment, string code, decimal score,
        string? comment = null, TestCaller? caller = null) =>
        platform.SubmissionAs(caller ?? Appraiser).PutJsonAsync($"/api/submission/assessments/{assessment}/appraisal/items/{code}",
            new { score, comment });

    public static async Task<List<AuditDto>> AuditAsync(this TestPlatform platform, Guid assessment) =>
        await (await platform.SubmissionAs(Admin).GetAsync($"/api/submission/assessments/{assessment}/audit")).ReadAsync<List<AuditDto>>();

    /// <summary>Imports a sheet of the given rows (<see cref="SheetRow"/>) as the unit's officer.</summary>
    public static async Task<HttpResponseMessage> ImportSheetAsync(this TestPlatform platform, Guid assessment, params Dictionary<string, object?>[] rows)
    {
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(rows);
        var body = new ByteArrayContent(sheet.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return await platform.SubmissionAs(Officer1).PutAsync($"/api/submission/assessments/{assessment}/sheet.xlsx", body);
    }

    public static Dictionary<string, object?> SheetRow(string code, object score, string? explanation = null, string? evidence = null) => new()
    {
        ["Mã"] = code, ["Điểm tự chấm"] = score, ["Giải trình"] = explanation, ["Tài liệu kiểm chứng (mã)"] = evidence,
    };
}
