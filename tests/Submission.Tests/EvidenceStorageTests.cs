using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ParPlatform.Contracts.Evidence.V1;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

public sealed class EvidenceStorageTests : PlatformTest
{
    private const int Limit = 1024 * 1024;

    protected override bool WithSubmission => false;

    protected override IReadOnlyDictionary<string, string> EvidenceConfiguration =>
        new Dictionary<string, string> { ["EvidenceStorage:MaxUploadBytes"] = Limit.ToString() };

    [Fact]
    public async Task A_pdf_is_stored_under_its_hash_with_its_metadata_and_downloads_back_intact()
    {
        var content = Steps.PdfOfSize(300_000);
        var stored = await (await Platform.UploadAsync(content, "ke-hoach-cchc.pdf")).ReadAsync<EvidenceDto>();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256);
        Assert.Equal((content.Length, "application/pdf", "12/KH-UBND", "UBND", "2025-01-15", "Kế hoạch CCHC năm 2025"),
            (stored.Size, stored.MediaType, stored.DocumentNumber, stored.Issuer, stored.IssueDate, stored.Title));
        Assert.Equal((Tenant, Unit1, RoundId, "officer-1"), (stored.TenantId, stored.UnitId, stored.RoundId, stored.UploadedBy));

        var download = await Platform.EvidenceAs(Officer1).GetAsync($"/api/evidence-storage/evidence/{stored.Id}/content");
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_renamed_exe_is_refused_as_a_pdf_and_nothing_is_stored()
    {
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, .. new byte[2048]];

        await (await Platform.UploadAsync(exe, "bao-cao.pdf")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");
        await (await Platform.UploadAsync(exe, "bao-cao.exe")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");
        // A real PNG under a .pdf name is refused too: the name must agree with the content.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[64]];
        await (await Platform.UploadAsync(png, "scan.pdf")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");

        Assert.Empty(BlobFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(Platform.EvidenceRoot, "staging")));
        Assert.Empty(await (await Platform.EvidenceAs(Officer1).GetAsync($"/api/evidence-storage/rounds/{RoundId}/evidence")).ReadAsync<List<EvidenceDto>>());
    }

    [Fact]
    public async Task A_pdf_header_over_junk_is_refused_real_pdf_endings_pass_and_an_empty_file_is_called_empty()
    {
        // 37 bytes: a header and nothing of a document.
        byte[] junk = [.. "%PDF-1.4"u8, .. Enumerable.Range(0, 29).Select(i => (byte)(i * 37 % 251))];
        Assert.Equal(37, junk.Length);
        await (await Platform.UploadAsync(junk, "gia.pdf")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");
        await (await Platform.UploadAsync([.. Steps.Pdf[..^7], .. "\n"u8], "cat-cut.pdf")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");

        // What real writers produce: a cross-reference table and startxref; an xref stream; an incremental update;
        // a few bytes after the last %%EOF; a body much longer than the window the trailer is looked for in.
        byte[][] real =
        [
            "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000015 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n64\n%%EOF"u8.ToArray(),
            "%PDF-1.7\r\n5 0 obj\r\n<< /Type /XRef /Size 6 >>\r\nstream\r\nxx\r\nendstream\r\nendobj\r\nstartxref\r\n9\r\n%%EOF\r\n"u8.ToArray(),
            [.. Steps.Pdf, .. "2 0 obj << >> endobj\nstartxref\n120\n%%EOF\n"u8],
            [.. Steps.Pdf, .. "\r\n\0\0\0"u8],
            Steps.PdfOfSize(200_000),
        ];
        foreach (var pdf in real)
        {
            Assert.Equal("application/pdf", (await (await Platform.UploadAsync(pdf, "that.pdf")).ReadAsync<EvidenceDto>()).MediaType);
        }

        var empty = await (await Platform.UploadAsync([], "trong.pdf")).ProblemAsync(422, "urn:par:evidence-storage:empty-file");
        Assert.Contains("0 bytes", empty.GetProperty("detail").GetString());
        await (await MultipartAsync([], "trong.docx")).ProblemAsync(422, "urn:par:evidence-storage:empty-file");
        Assert.Equal(real.Length, BlobFiles().Count());
    }

    [Fact]
    public async Task The_issue_date_is_read_as_officials_write_it_and_answered_as_an_iso_date()
    {
        var written = await (await Platform.UploadAsync(Steps.PdfOfSize(500), "a.pdf", issueDate: "15/01/2025")).ReadAsync<EvidenceDto>();
        var iso = await (await Platform.UploadAsync(Steps.PdfOfSize(501), "b.pdf", issueDate: "2025-01-15")).ReadAsync<EvidenceDto>();
        var short_ = await (await Platform.UploadAsync(Steps.PdfOfSize(502), "c.pdf", issueDate: "5/1/2025")).ReadAsync<EvidenceDto>();
        Assert.Equal(("2025-01-15", "2025-01-15", "2025-01-05"), (written.IssueDate, iso.IssueDate, short_.IssueDate));

        foreach (var wrong in new[] { "2025/01/15", "31/02/2025", "01-15-2025", "15.01.2025" })
        {
            var problem = await (await Platform.UploadAsync(Steps.PdfOfSize(503), "d.pdf", issueDate: wrong)).ProblemAsync(400, "urn:par:evidence-storage:invalid-issue-date");
            Assert.Contains("dd/MM/yyyy", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Identical_content_is_stored_once()
    {
        var first = await Platform.UploadPdfAsync(Officer1, marker: "same");
        var second = await Platform.UploadPdfAsync(Officer2, marker: "same");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal([first.Sha256], BlobFiles().Select(Path.GetFileName));
    }

    [Fact]
    public async Task Files_over_the_size_limit_are_refused()
    {
        await (await Platform.UploadAsync(Steps.PdfOfSize(Limit + 1), "lon.pdf")).ProblemAsync(413, "urn:par:evidence-storage:too-large");
        await (await MultipartAsync(Steps.PdfOfSize(Limit + 1), "lon.pdf")).ProblemAsync(413, "urn:par:evidence-storage:too-large");
        var exactly = await (await Platform.UploadAsync(Steps.PdfOfSize(Limit), "vua.pdf")).ReadAsync<EvidenceDto>();
        Assert.Equal(Limit, exactly.Size);
        Assert.Single(BlobFiles());
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf")]
    [InlineData("..\\ke-hoach.pdf")]
    [InlineData("thu-muc/ke-hoach.pdf")]
    [InlineData(".hidden.pdf")]
    [InlineData("ke-hoach.pdf\u0000.exe")]
    public async Task Names_with_path_tricks_are_refused(string name)
    {
        await (await Platform.UploadAsync(Steps.Pdf, name)).ProblemAsync(400, "urn:par:evidence-storage:unsafe-name");
        Assert.Empty(BlobFiles());
    }

    [Fact]
    public async Task Office_files_are_judged_by_their_content_in_multipart_uploads()
    {
        var docx = await (await MultipartAsync(OfficeZip("word/document.xml"), "bao-cao.docx")).ReadAsync<EvidenceDto>();
        Assert.Equal(("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Báo cáo tự đánh giá", "bao-cao.docx"),
            (docx.MediaType, docx.Title, docx.FileName));
        var xlsx = await (await MultipartAsync(OfficeZip("xl/workbook.xml"), "bang-diem.xlsx")).ReadAsync<EvidenceDto>();
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.MediaType);
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[512]];
        Assert.Equal("application/msword", (await (await MultipartAsync(ole, "cu.doc")).ReadAsync<EvidenceDto>()).MediaType);

        // A zip that is not an Office document, or a workbook named as a document, is refused.
        await (await MultipartAsync(OfficeZip("payload.bin"), "bao-cao.docx")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");
        await (await MultipartAsync(OfficeZip("xl/workbook.xml"), "bao-cao.docx")).ProblemAsync(415, "urn:par:evidence-storage:type-not-allowed");
    }

    [Fact]
    public async Task While_the_criteria_service_is_down_an_upload_is_503_and_nothing_is_stored()
    {
        Platform.Criteria.Data.Unavailable = true;
        await (await Platform.UploadAsync(Steps.Pdf, "ke-hoach.pdf")).ProblemAsync(503, "urn:par:evidence-storage:criteria-unavailable");

        Platform.Criteria.Data.Unavailable = false;
        var listed = await (await Platform.EvidenceAs(Officer1).GetAsync($"/api/evidence-storage/rounds/{RoundId}/units/{Unit1}/evidence"))
            .ReadAsync<List<EvidenceDto>>();
        Assert.Empty(listed);
    }

    [Fact]
    public async Task Evidence_of_a_locked_round_is_immutable()
    {
        var kept = await Platform.UploadPdfAsync();
        var removed = await Platform.UploadPdfAsync();
        // Without the submission service's word on what refers to the file, nothing is deleted (fail closed).
        await (await Platform.EvidenceAs(Officer1).DeleteAsync($"/api/evidence-storage/evidence/{removed.Id}"))
            .ProblemAsync(503, "urn:par:evidence-storage:submission-unavailable");

        Platform.Clock.SetUtcNow(SelfAssessmentCloses);
        await (await Platform.UploadAsync(Steps.Pdf, "muon.pdf")).ProblemAsync(409, "urn:par:evidence-storage:round-locked");
        await (await MultipartAsync(Steps.Pdf, "muon.pdf")).ProblemAsync(409, "urn:par:evidence-storage:round-locked");
        await (await Platform.EvidenceAs(Officer1).DeleteAsync($"/api/evidence-storage/evidence/{kept.Id}")).ProblemAsync(409, "urn:par:evidence-storage:round-locked");
        Assert.True((await Platform.EvidenceAs(Officer1).GetAsync($"/api/evidence-storage/evidence/{kept.Id}/content")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Downloads_check_tenant_and_unit()
    {
        var evidence = await Platform.UploadPdfAsync();
        var path = $"/api/evidence-storage/evidence/{evidence.Id}/content";

        Assert.True((await Platform.EvidenceAs(Leader1).GetAsync(path)).IsSuccessStatusCode);
        Assert.True((await Platform.EvidenceAs(Appraiser).GetAsync(path)).IsSuccessStatusCode);
        await (await Platform.EvidenceAs(Officer2).GetAsync(path)).ProblemAsync(404, "urn:par:evidence-storage:not-found");
        await (await Platform.EvidenceAs(OtherTenantOfficer).GetAsync(path)).ProblemAsync(404, "urn:par:evidence-storage:not-found");
        await (await Platform.EvidenceAs(OtherTenantAppraiser).GetAsync(path)).ProblemAsync(404, "urn:par:evidence-storage:not-found");
        await (await Platform.EvidenceAs(Officer2).DeleteAsync($"/api/evidence-storage/evidence/{evidence.Id}")).ProblemAsync(404, "urn:par:evidence-storage:not-found");
    }

    [Fact]
    public async Task Metadata_by_ids_over_grpc()
    {
        var evidence = await Platform.UploadPdfAsync();
        var client = new EvidenceService.EvidenceServiceClient(Platform.Evidence.CreateGrpcChannel());

        var reply = await client.GetEvidenceMetadataAsync(new GetEvidenceMetadataRequest { Ids = { evidence.Id.ToString(), Guid.NewGuid().ToString(), "not-a-uuid" } });

        var metadata = Assert.Single(reply.Items);
        Assert.Equal((evidence.Id.ToString(), Tenant, Unit1.ToString(), evidence.Sha256, "2025-01-15", evidence.Size),
            (metadata.Id, metadata.TenantId, metadata.UnitId, metadata.Sha256, metadata.IssueDate, metadata.Size));
    }

    private Task<HttpResponseMessage> MultipartAsync(byte[] content, string fileName)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent
        {
            { new StringContent("Báo cáo tự đánh giá"), "title" },
            { new StringContent("45/BC-STP"), "documentNumber" },
            { file, "file", fileName },
        };
        return Platform.EvidenceAs(Officer1).PostAsync($"/api/evidence-storage/rounds/{RoundId}/evidence/form", form);
    }

    private static byte[] OfficeZip(string mainPart)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", mainPart })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), Encoding.UTF8);
                writer.Write("<?xml version=\"1.0\"?><x/>");
            }
        }
        return buffer.ToArray();
    }

    private IEnumerable<string> BlobFiles() =>
        Directory.GetFiles(Platform.EvidenceRoot, "*", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}staging{Path.DirectorySeparatorChar}"));
}
