using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using ParPlatform.Testing;
using Xunit.Abstractions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// The survey operator's pages (questionnaires, the live intake figures, CSV import, paper-ballot entry, the questionnaire editor) and the
/// provincial admin's round progress (every unit's state).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SurveyOperationsJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    // The demo's department set of the current year and its six departments (services/Criteria/Seed/SeedIds.cs).
    private static readonly Guid DepartmentSetCurrentYear = Guid.Parse("10000000-0000-4000-8000-000000000005");
    private static readonly Guid[] Departments = Enumerable.Range(11, 6).Select(i => Guid.Parse($"20000000-0000-4000-8000-0000000000{i}")).ToArray();
    private static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");
    private const int Ballots = 10_000;
    private static readonly int[] BadRows = [7, 4_321, 9_999]; // a unit id that is no GUID: rejected, in the error report

    [Fact]
    public async Task The_survey_operator_sees_the_questionnaires_and_the_intake_figures()
    {
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.dieutra");
        await page.GetByRole(AriaRole.Link, new() { Name = "Điều tra XHH" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Điều tra xã hội học");
        await Assertions.Expect(page.GetByTestId("intake-panel")).ToContainTextAsync("Đang chờ lưu");
        await Assertions.Expect(page.GetByTestId("intake-chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("questionnaires")).ToBeVisibleAsync();
        // The error queue's replay asks first and answers in words (nothing waits in the queue here).
        await Assertions.Expect(page.Locator("[data-testid=intake-panel][data-interactive=true]")).ToHaveCountAsync(1);
        await page.GetByTestId("replay-start").ClickAsync();
        await Assertions.Expect(page.GetByTestId("replay")).ToContainTextAsync("Chỉ làm khi đã khắc phục nguyên nhân lỗi");
        await page.GetByTestId("replay-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("replay-result")).ToContainTextAsync("Đã đưa lại 0 phiếu để lưu");
        await Assertions.Expect(page.GetByTestId("replay-confirm")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "survey-operations");
        await Screenshots.SaveAsync(page, "survey-operations");
        browser.AssertNoForeignRequests();
    }

    [Fact]
    public async Task The_survey_operator_imports_ten_thousand_ballots_and_enters_a_paper_ballot_by_keyboard() => await fixture.WithServerLogsOnFailureAsync(output, async () =>
    {
        var (questionnaireId, questions) = await PublishedQuestionnaireAsync();
        var csv = Csv(questions);
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.dieutra");
        await page.GotoAsync("/survey");
        await page.GetByTestId($"import-{questionnaireId}").ClickAsync();

        // The import: the file goes through the console to the survey service; the counters move while it runs.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Nhập phiếu từ tệp CSV");
        await Assertions.Expect(page.GetByTestId("csv-columns")).ToHaveTextAsync("unit_id," + string.Join(",", questions));
        await Assertions.Expect(page.Locator("[data-testid=import-form][data-interactive=true]")).ToHaveCountAsync(1); // prerendered HTML comes first
        await page.GetByTestId("csv-file").SetInputFilesAsync(new FilePayload { Name = "phieu-giay-dot-1.csv", MimeType = "text/csv", Buffer = csv });
        await Assertions.Expect(page.GetByTestId("batch")).ToHaveValueAsync("phieu-giay-dot-1");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await page.GetByTestId("import-start").ClickAsync();
        var progress = page.GetByTestId("import-progress");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 90_000 });
        output.WriteLine($"import of {Ballots:N0} rows ({csv.Length:N0} bytes) through the console: {clock.Elapsed.TotalSeconds:F1} s");
        await Assertions.Expect(page.GetByTestId("import-rows")).ToHaveTextAsync(Ballots.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")));
        await Assertions.Expect(page.GetByTestId("import-accepted")).ToHaveTextAsync((Ballots - BadRows.Length).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")));
        await Assertions.Expect(page.GetByTestId("import-rejected")).ToHaveTextAsync(BadRows.Length.ToString());
        await Assertions.Expect(page.GetByTestId("import-percent")).ToHaveTextAsync("100 %");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("import-errors").ClickAsync());
        var report = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Skip(1).ToList();
        Assert.Equal(BadRows.Length, report.Count);
        Assert.All(report, line => Assert.Contains("invalid-unit-id", line));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "survey-import");
        await Screenshots.SaveAsync(page, "survey-import");

        // The intake panel follows the workers until nothing waits to be stored.
        await page.GotoAsync("/survey");
        await Assertions.Expect(page.Locator("[data-testid=intake-panel][data-interactive=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("intake-backlog")).ToHaveTextAsync("0", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("intake-chart-text")).Not.ToContainTextAsync("Chưa đủ số liệu", new() { Timeout = 10_000 });

        // A paper ballot by keyboard: refused in words while answers are missing, then saved; the focus returns to the first question.
        await page.GetByTestId($"entry-{questionnaireId}").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Nhập phiếu giấy");
        await Assertions.Expect(page.Locator("[data-testid=entry-form][data-interactive=true]")).ToHaveCountAsync(1);
        await page.GetByTestId("entry-unit").SelectOptionAsync(SoTuPhap.ToString());
        var first = page.GetByTestId($"answer-{questions[0]}");
        await first.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("problem")).ToContainTextAsync("Thiếu câu trả lời bắt buộc");
        await Assertions.Expect(first).ToBeFocusedAsync();
        for (var i = 0; i < questions.Length; i++)
        {
            await page.Keyboard.TypeAsync("ABCD"[i % 4].ToString());
            await page.Keyboard.PressAsync(i < questions.Length - 1 ? "Tab" : "Enter");
        }
        var receipt = page.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToContainTextAsync("Đã tiếp nhận phiếu");
        await Assertions.Expect(page.GetByTestId("receipt-id")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f-]{36}$"));
        var problems = await page.GetByTestId("problem").AllInnerTextsAsync();
        if (problems.Count > 0)
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/survey-entry-failure.png", FullPage = true });
        }
        Assert.True(problems.Count == 0, "refused after the receipt: " + string.Join(" | ", problems));
        await Assertions.Expect(first).ToBeFocusedAsync();
        await Assertions.Expect(first).ToHaveValueAsync("");
        await Assertions.Expect(page.GetByTestId("entry-count")).ToContainTextAsync("Đã lưu 1 phiếu");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "survey-entry");
        await Screenshots.SaveAsync(page, "survey-entry");

        // The receipt names a response the service holds.
        using var operatorClient = await PlatformSignIn.PasswordAsync(fixture.Console, "qn.dieutra");
        var responseId = await page.GetByTestId("receipt-response").InnerTextAsync();
        using var stored = await operatorClient.GetAsync($"/api/survey/responses/{Uri.EscapeDataString(responseId)}");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        browser.AssertNoForeignRequests();
    }, "survey");

    [Fact]
    public async Task The_survey_operator_writes_a_questionnaire_maps_its_questions_and_publishes_it() => await fixture.WithServerLogsOnFailureAsync(output, async () =>
    {
        var roundName = "Khảo sát soạn phiếu ";
        var (roundId, leaves) = await OpenRoundAsync(roundName);
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.dieutra");
        await page.GotoAsync("/survey");
        await page.GetByTestId("questionnaire-new").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=questionnaire-form][data-interactive=true]")).ToHaveCountAsync(1);
        await page.GetByTestId("q-round").SelectOptionAsync(roundId.ToString());
        // One question per survey-scored sub-criterion to start from, each mapped to its own.
        await Assertions.Expect(page.GetByTestId("q-questions").Locator("tbody tr")).ToHaveCountAsync(leaves.Length);
        await Assertions.Expect(page.GetByTestId("q-sub-1")).ToHaveValueAsync(leaves[0]);
        var title = "Phiếu khảo sát công chức " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("q-group").SelectOptionAsync("civil-servants");
        await page.GetByTestId("q-title").FillAsync(title);
        await page.GetByTestId("q-text-1").FillAsync("Ông/bà đánh giá thế nào về việc công khai thủ tục hành chính?");
        await page.GetByTestId("q-kind-1").SelectOptionAsync("scale");
        await page.GetByTestId("q-add").ClickAsync();
        await page.GetByTestId($"q-text-{leaves.Length + 1}").FillAsync("Câu hỏi bổ sung cho cùng tiêu chí");
        await page.GetByTestId($"q-sub-{leaves.Length + 1}").SelectOptionAsync(leaves[0]);
        await page.GetByTestId("q-save").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/survey/questionnaires/[0-9a-f-]{36}/edit$"));
        await Assertions.Expect(page.Locator("[data-testid=questionnaire-form][data-interactive=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("q-title")).ToHaveValueAsync(title);
        await Assertions.Expect(page.GetByTestId("q-kind-1")).ToHaveValueAsync("scale");
        await Assertions.Expect(page.GetByTestId("q-questions").Locator("tbody tr")).ToHaveCountAsync(leaves.Length + 1);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "survey-questionnaire");
        await Screenshots.SaveAsync(page, "survey-questionnaire");
        await page.GetByTestId("q-publish").ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/survey"));
        var row = page.GetByTestId("questionnaires").Locator("tr", new() { HasText = title });
        await Assertions.Expect(row).ToContainTextAsync("Đã công bố");
        await Assertions.Expect(row).ToContainTextAsync("Công chức");
        browser.AssertNoForeignRequests();
    }, "survey");

    /// <summary>A round of this year with its survey window open, the six departments, and a published citizens'
    /// questionnaire with one question per survey-scored sub-criterion of the set.</summary>
    private async Task<(Guid Id, string[] Questions)> PublishedQuestionnaireAsync()
    {
        var (roundId, leaves) = await OpenRoundAsync();
        using var operatorClient = await PlatformSignIn.PasswordAsync(fixture.Console, "qn.dieutra");
        var questions = leaves.Select((code, i) => new
        {
            code = $"Q{i + 1}",
            text = $"Ông/bà đánh giá thế nào về nội dung {code}?",
            subCriterionCode = code,
            options = new[]
            {
                new { code = "A", label = "Rất hài lòng", percent = 100 }, new { code = "B", label = "Hài lòng", percent = 60 },
                new { code = "C", label = "Bình thường", percent = 20 }, new { code = "D", label = "Không hài lòng", percent = 0 },
            },
        }).ToArray();
        var created = await JsonAsync(await operatorClient.PostAsJsonAsync("/api/survey/questionnaires", new
        {
            roundId, respondentGroup = "citizens", title = "Phiếu khảo sát người dân (giao diện) " + Guid.NewGuid().ToString("N")[..6], questions,
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await JsonAsync(await operatorClient.PostAsync($"/api/survey/questionnaires/{id}/publish", null), HttpStatusCode.OK);
        return (id, questions.Select(question => question.code).ToArray());
    }

    /// <summary>A round of this year with its survey window open and the six departments; the set's survey-scored leaves.</summary>
    private async Task<(Guid RoundId, string[] Leaves)> OpenRoundAsync(string name = "Khảo sát trên giao diện ")
    {
        using var admin = await PlatformSignIn.PasswordAsync(fixture.Console, "qn.quantri");
        var now = DateTimeOffset.UtcNow;
        var round = await JsonAsync(await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = now.ToOffset(TimeSpan.FromHours(7)).Year,
            name = name + Guid.NewGuid().ToString("N")[..6],
            criteriaSetId = DepartmentSetCurrentYear,
            rankingGroup = "web-survey-" + Guid.NewGuid().ToString("N")[..8],
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-2), selfAssessmentClosesAt = now.AddHours(1),
                appraisalOpensAt = now.AddHours(1), appraisalClosesAt = now.AddHours(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = now.AddHours(3), publicationAt = now.AddHours(4),
            },
        }), HttpStatusCode.Created);
        var roundId = round.GetProperty("id").GetGuid();
        using (var units = await admin.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units", new { unitIds = Departments }))
        {
            Assert.Equal(HttpStatusCode.NoContent, units.StatusCode);
        }
        var set = await JsonAsync(await admin.GetAsync($"/api/criteria/sets/{DepartmentSetCurrentYear}"), HttpStatusCode.OK);
        var leaves = CriteriaJson.Leaves(set.GetProperty("definition").GetProperty("fields"))
            .Where(node => node.GetProperty("method").GetString() == "Survey").Select(node => node.GetProperty("code").GetString()!).ToArray();
        Assert.NotEmpty(leaves);
        return (roundId, leaves);
    }

    private static byte[] Csv(string[] questions)
    {
        var csv = new StringBuilder("unit_id,").AppendJoin(',', questions).Append('\n');
        for (var row = 1; row <= Ballots; row++)
        {
            csv.Append(BadRows.Contains(row) ? "so-tu-phap" : Departments[row % Departments.Length].ToString());
            for (var k = 0; k < questions.Length; k++)
            {
                csv.Append(',').Append("ABCD"[(row + k) % 4]);
            }
            csv.Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    [Fact]
    public async Task The_provincial_admin_follows_each_units_state_in_the_round()
    {
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.quantri");
        var rounds = page.GetByTestId("rounds");
        await rounds.GetByRole(AriaRole.Link, new() { Name = "Tiến độ" }).First.ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Tiến độ kỳ đánh giá");
        var units = page.GetByTestId("unit-progress");
        await Assertions.Expect(units).ToContainTextAsync("Sở Tư pháp");
        await Assertions.Expect(page.GetByTestId("laggards")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "round-progress");
        await Screenshots.SaveAsync(page, "round-progress");
        browser.AssertNoForeignRequests();
    }
}
