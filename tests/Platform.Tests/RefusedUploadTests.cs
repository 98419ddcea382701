using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ParPlatform.Platform.Tests;

/// <summary>
/// Uploads the evidence service refuses, sent through the gateway the way Python's requests and most clients send a
/// multipart form: the whole body at once, with a Content-Length and no <c>Expect: 100-continue</c>, reading the
/// answer only afterwards. The refusal must arrive as the service's ProblemDetails (413, 409), never as a 502.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RefusedUploadTests(PlatformFixture platform)
{
    private static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");
    private static readonly Guid DepartmentsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000001");

    [Fact]
    public async Task Refused_uploads_without_expect_continue_answer_413_and_409_problem_details_through_the_gateway()
    {
        var gateway = platform.App.GatewayHttp;
        using var admin = await Gateway.SignInAsync(gateway, "qn.quantri");
        using var officer = await Gateway.SignInAsync(gateway, "qn.tuphap.canbo");
        officer.DefaultRequestHeaders.ExpectContinue = false;
        var openRound = await OpenRoundAsync(admin);

        // 55 MB: within the gateway's evidence limit (60 MB), over the service's file limit (50 MB).
        const int TooLarge = 55 * 1024 * 1024;
        await ProblemAsync(await officer.PostAsync($"/api/evidence-storage/rounds/{openRound}/evidence/form", Form(TooLarge)),
            HttpStatusCode.RequestEntityTooLarge, "urn:par:evidence-storage:too-large");
        await ProblemAsync(await officer.PostAsync($"/api/evidence-storage/rounds/{openRound}/evidence?fileName=lon.pdf", Raw(TooLarge)),
            HttpStatusCode.RequestEntityTooLarge, "urn:par:evidence-storage:too-large");

        // Over the gateway's own limit for evidence routes (60 MB): the gateway's ProblemDetails, same rule.
        await ProblemAsync(await officer.PostAsync($"/api/evidence-storage/rounds/{openRound}/evidence/form", Form(61 * 1024 * 1024)),
            HttpStatusCode.RequestEntityTooLarge, "urn:par:gateway:too-large");

        // A round whose self-assessment closed (2024): refused before a byte of the file is read.
        await ProblemAsync(await officer.PostAsync($"/api/evidence-storage/rounds/{DepartmentsRound2024}/evidence/form", Form(40 * 1024 * 1024)),
            HttpStatusCode.Conflict, "urn:par:evidence-storage:round-locked");
        // The connection is still good for the next upload, which is stored.
        var stored = await officer.PostAsync($"/api/evidence-storage/rounds/{openRound}/evidence/form", Form(2 * 1024 * 1024));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
    }

    private static async Task<Guid> OpenRoundAsync(HttpClient admin)
    {
        var now = DateTimeOffset.UtcNow;
        var yearSet = await Gateway.ThisYearsDepartmentSetAsync(admin, "UPLOADS");
        var created = await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = now.Year,
            name = "Tải tệp bị từ chối " + Guid.NewGuid().ToString("N")[..6],
            criteriaSetId = yearSet,
            rankingGroup = "uploads-" + Guid.NewGuid().ToString("N")[..8],
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-1), selfAssessmentClosesAt = now.AddHours(1),
                appraisalOpensAt = now.AddHours(1), appraisalClosesAt = now.AddHours(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = now.AddHours(2), publicationAt = now.AddHours(3),
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var round = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var units = await admin.PutAsJsonAsync($"/api/criteria/rounds/{round}/units", new { unitIds = new[] { SoTuPhap } });
        Assert.Equal(HttpStatusCode.NoContent, units.StatusCode);
        return round;
    }

    private static async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {type}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(type, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
    }

    private static byte[] Pdf(int size)
    {
        var pdf = new byte[size];
        "%PDF-1.7\n1 0 obj << >> endobj\n%"u8.CopyTo(pdf);
        "\n%%EOF\n"u8.CopyTo(pdf.AsSpan(size - 7));
        return pdf;
    }

    // What requests.post(url, data={...}, files={"file": ...}) sends: text fields, then the file, with a Content-Length.
    private static MultipartFormDataContent Form(int size) => Form(new ByteArrayContent(Pdf(size)));

    private static MultipartFormDataContent Form(HttpContent file)
    {
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return new MultipartFormDataContent
        {
            { new StringContent("Báo cáo tự đánh giá"), "title" },
            { new StringContent("15/01/2026"), "issueDate" },
            { file, "file", "bao-cao.pdf" },
        };
    }

    private static ByteArrayContent Raw(int size)
    {
        var content = new ByteArrayContent(Pdf(size));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return content;
    }
}
