using ParPlatform.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// The unit officer's scorecard (/rounds/{id}/scorecard) in a browser: scoring a fresh open round item by item, with
/// evidence and explanations, surviving a reload, submitting; two browsers editing one item; the lock at the deadline.
/// Rounds are created with the provincial admin's token, as the platform's end-to-end test does.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class OfficerJourneyTests
{
    private readonly ConsoleFixture fixture;
    private readonly ITestOutputHelper output;

    public OfficerJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
    {
        this.fixture = fixture;
        this.output = output;
        // Playwright's 5 s for an expectation is too short on a loaded two-core machine (a circuit start or a save
        // while the platform is busy takes longer); the context's own timeout is 45 s (ConsolePage).
        SetDefaultExpectTimeout(20_000);
    }

    private const string Officer = "qn.tuphap.canbo";
    private static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");
    private static readonly Guid DepartmentSet2025 = Guid.Parse("10000000-0000-4000-8000-000000000003");
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    [Fact]
    public async Task The_officer_scores_every_item_with_evidence_and_explanations_sees_them_after_a_reload_and_submits()
    {
        // A scorecard of realistic size: 100 self-assessed sub-criteria and 5 survey-scored ones.
        var roundId = await OpenRoundAsync(TimeSpan.FromHours(2), hundredSubCriteria: true);
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, Officer);

        var clock = Stopwatch.StartNew();
        await OpenScorecardAsync(page, roundId);
        output.WriteLine($"scorecard interactive after {clock.ElapsedMilliseconds} ms");
        var items = await ItemsAsync(roundId);
        Assert.Equal(ScorecardRounds.SelfAssessedItems, items.Count);
        Assert.True(await page.Locator("[data-state=survey]").CountAsync() > 0, "survey-scored leaves are shown read-only");
        await Expect(page.Locator("[data-state=survey]").First).ToContainTextAsync("Chấm qua điều tra XHH");

        // Submitting with nothing scored is refused in words, listing every item with a link to it.
        await page.GetByTestId("submit").ClickAsync();
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("Còn tiêu chí chưa tự chấm điểm");
        await Expect(page.Locator("[data-testid=refused-items] a")).ToHaveCountAsync(items.Count);
        await Expect(page.Locator($"[data-testid=refused-items] a[href='/rounds/{roundId}/scorecard#item-{items[0].Code}']")).ToHaveCountAsync(1);

        clock.Restart();
        var withEvidence = items.First(item => item.EvidenceRequired && item.Kind == "regular");
        var typed = new Dictionary<string, string>();
        foreach (var item in items)
        {
            var card = page.GetByTestId($"item-{item.Code}");
            var version = await card.GetAttributeAsync("data-version");
            typed[item.Code] = await ScoreAsync(page, item);
            if (item.Code == withEvidence.Code)
            {
                await page.GetByTestId($"files-{item.Code}").SetInputFilesAsync(new FilePayload
                {
                    Name = "ke-hoach-cchc.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray(),
                });
                await Expect(page.Locator($"[data-testid='evidence-{item.Code}'] a")).ToHaveTextAsync("ke-hoach-cchc");
            }
            else
            {
                await page.GetByTestId($"explanation-{item.Code}").FillAsync($"Giải trình mục {item.Code}: đã thực hiện đầy đủ.");
                await page.GetByTestId($"save-{item.Code}").ClickAsync();
            }
            await Expect(card).Not.ToHaveAttributeAsync("data-version", version!);
            await Expect(card).ToHaveAttributeAsync("data-state", "saved");
        }
        output.WriteLine($"{items.Count} items scored in {clock.Elapsed.TotalSeconds:0.0} s");
        var progress = page.GetByTestId("progress");
        await Expect(progress).ToHaveAttributeAsync("data-scored", items.Count.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(await progress.GetAttributeAsync("data-evidence-required"), await progress.GetAttributeAsync("data-evidenced"));

        // After a reload the page shows what the service holds.
        await OpenScorecardAsync(page, roundId);
        foreach (var item in items)
        {
            await Expect(page.GetByTestId($"score-{item.Code}")).ToHaveValueAsync(typed[item.Code]);
        }
        await Expect(page.GetByTestId($"explanation-{items.First(item => item.Code != withEvidence.Code).Code}")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Giải trình mục"));
        var link = page.Locator($"[data-testid='evidence-{withEvidence.Code}'] a");
        Assert.StartsWith("/files/evidence/", await link.GetAttributeAsync("href"));

        await Accessibility.AssertNoSeriousViolationsAsync(page, "officer scorecard");
        await Screenshots.SaveAsync(page, "officer-scorecard");

        await page.GetByTestId("submit").ClickAsync();
        await Expect(page.GetByTestId("submit-done")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("Chờ lãnh đạo phê duyệt");
        await Expect(page.GetByTestId($"score-{items[0].Code}")).ToBeDisabledAsync();
        browser.AssertNoForeignRequests();
    }

    [Fact]
    public async Task Two_browsers_editing_one_item_see_the_conflict_and_choose_whose_values_stay()
    {
        var roundId = await OpenRoundAsync(TimeSpan.FromHours(2));
        var item = (await ItemsAsync(roundId)).First(candidate => candidate.Kind == "regular" && candidate.MaxPoints >= 1);
        await using var first = await fixture.NewPageAsync(output);
        await using var second = await fixture.NewPageAsync(output);
        await fixture.SignInAsync(first.Page, Officer);
        await fixture.SignInAsync(second.Page, Officer);
        await OpenScorecardAsync(first.Page, roundId);
        await OpenScorecardAsync(second.Page, roundId);

        // The first saves; the second, still on the version it read, saves other values: nothing is overwritten.
        await first.Page.GetByTestId($"explanation-{item.Code}").FillAsync("Giá trị của người thứ nhất");
        await first.Page.GetByTestId($"save-{item.Code}").ClickAsync();
        await Expect(first.Page.GetByTestId($"item-{item.Code}")).ToHaveAttributeAsync("data-version", "2");
        await second.Page.GetByTestId($"explanation-{item.Code}").FillAsync("Giá trị của người thứ hai");
        await second.Page.GetByTestId($"save-{item.Code}").ClickAsync();
        var conflict = second.Page.GetByTestId($"conflict-{item.Code}");
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict).ToContainTextAsync("Giá trị của bạn chưa được lưu");
        await Expect(second.Page.GetByTestId("conflict-theirs-explanation")).ToHaveTextAsync("Giá trị của người thứ nhất");
        Assert.Equal("Giá trị của người thứ nhất", (await ItemsAsync(roundId)).Single(i => i.Code == item.Code).Explanation);

        // The second keeps theirs: saved on the new version.
        await second.Page.GetByTestId($"keep-mine-{item.Code}").ClickAsync();
        await Expect(second.Page.GetByTestId($"item-{item.Code}")).ToHaveAttributeAsync("data-version", "3");
        await Expect(conflict).ToHaveCountAsync(0);
        Assert.Equal("Giá trị của người thứ hai", (await ItemsAsync(roundId)).Single(i => i.Code == item.Code).Explanation);

        // The first, now stale, tries again and takes the other's values instead.
        await first.Page.GetByTestId($"explanation-{item.Code}").FillAsync("Lần sửa thứ ba");
        await first.Page.GetByTestId($"save-{item.Code}").ClickAsync();
        await Expect(first.Page.GetByTestId($"conflict-{item.Code}")).ToBeVisibleAsync();
        await first.Page.GetByTestId($"take-theirs-{item.Code}").ClickAsync();
        await Expect(first.Page.GetByTestId($"explanation-{item.Code}")).ToHaveValueAsync("Giá trị của người thứ hai");
        await Expect(first.Page.GetByTestId($"item-{item.Code}")).ToHaveAttributeAsync("data-version", "3");
        Assert.Equal(3, (await ItemsAsync(roundId)).Single(i => i.Code == item.Code).Version);
        first.AssertNoForeignRequests();
        second.AssertNoForeignRequests();
    }

    [Fact]
    public async Task A_page_open_at_the_deadline_locks_and_cannot_save_after_it()
    {
        var closes = DateTimeOffset.UtcNow.AddSeconds(40);
        var roundId = await OpenRoundAsync(closes - DateTimeOffset.UtcNow);
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, Officer);
        await OpenScorecardAsync(page, roundId);
        var item = (await ItemsAsync(roundId)).First(candidate => candidate.Kind == "regular");
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("còn");
        await Expect(page.GetByTestId("locked")).ToHaveCountAsync(0);
        // Typed before the deadline, not saved.
        await page.GetByTestId($"explanation-{item.Code}").FillAsync("Gõ trước hạn");

        var wait = closes - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        await Expect(page.GetByTestId("locked")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("locked")).ToContainTextAsync("Đã hết hạn tự chấm điểm");
        await Expect(page.GetByTestId("countdown")).ToHaveTextAsync("đã hết hạn");
        await Expect(page.GetByTestId($"save-{item.Code}")).ToBeDisabledAsync();
        await Expect(page.GetByTestId($"score-{item.Code}")).ToBeDisabledAsync();
        await Expect(page.GetByTestId($"explanation-{item.Code}")).ToBeDisabledAsync();
        await Expect(page.GetByTestId($"files-{item.Code}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("submit")).ToHaveCountAsync(0);
        Assert.Null((await ItemsAsync(roundId)).Single(i => i.Code == item.Code).Explanation);

        // A fresh load after the deadline is locked from the start.
        await OpenScorecardAsync(page, roundId);
        await Expect(page.GetByTestId("locked")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"save-{item.Code}")).ToBeDisabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "officer scorecard, locked");
        browser.AssertNoForeignRequests();
    }

    private async Task OpenScorecardAsync(IPage page, Guid roundId)
    {
        await page.GotoAsync($"/rounds/{roundId}/scorecard");
        // Prerendered HTML comes first; clicks count only once the circuit is connected.
        await Expect(page.Locator("[data-testid=scorecard][data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        // A page that loaded has nothing to apologise for (a message bound by name rather than value once showed "loadText").
        await Expect(page.GetByTestId("problem")).ToHaveCountAsync(0);
    }

    /// <summary>Types or picks a valid self score for the item and returns the value the input then shows.</summary>
    private static async Task<string> ScoreAsync(IPage page, Item item)
    {
        var score = page.GetByTestId($"score-{item.Code}");
        if (await score.EvaluateAsync<string>("element => element.tagName") == "SELECT")
        {
            var values = await score.Locator("option").EvaluateAllAsync<string[]>("options => options.map(option => option.value)");
            await score.SelectOptionAsync(values[1]);
            return values[1];
        }
        // Bonus and penalty items scored 0 claim nothing; the others their maximum, typed with a decimal comma
        // (as the service answers it: the step's decimals, "1,00", "0,00").
        var value = (item.Kind == "regular" ? item.MaxPoints : item.MaxPoints * 0).ToString(Vietnamese);
        await score.FillAsync(value);
        await score.BlurAsync(); // the change event, before a file is dropped on the item
        return value;
    }

    private sealed record Item(string Code, string Kind, decimal MaxPoints, bool EvidenceRequired, string? Explanation, int Version);

    private async Task<List<Item>> ItemsAsync(Guid roundId)
    {
        using var officer = await ClientAsync(Officer);
        using var response = await officer.GetAsync($"/api/submission/rounds/{roundId}/units/{SoTuPhap}/assessment");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var assessment = await response.Content.ReadFromJsonAsync<JsonElement>();
        return assessment.GetProperty("items").Deserialize<List<Item>>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>A round of this year's copy of the department set (or of the 100-sub-criterion set), Sở Tư pháp in it, self-assessment open for <paramref name="open"/>.</summary>
    private async Task<Guid> OpenRoundAsync(TimeSpan open, bool hundredSubCriteria = false)
    {
        using var admin = await ClientAsync("qn.quantri");
        var now = DateTimeOffset.UtcNow;
        var closes = now + open;
        if (hundredSubCriteria)
        {
            var hundred = await ScorecardRounds.CreateRoundAsync(admin, [SoTuPhap], closes);
            using var officerClient = await ClientAsync(Officer);
            using var started = await officerClient.PostAsJsonAsync("/api/submission/assessments", new { roundId = hundred, unitId = SoTuPhap });
            Assert.True(started.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
            return hundred;
        }
        using var clone = await admin.PostAsJsonAsync($"/api/criteria/sets/{DepartmentSet2025}/clone",
            new { year = now.Year, code = "WEB-OFF-" + Guid.NewGuid().ToString("N")[..8] });
        Assert.Equal(HttpStatusCode.Created, clone.StatusCode);
        var setId = (await clone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var publish = await admin.PostAsync($"/api/criteria/sets/{setId}/publish", null);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        using var round = await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = now.Year,
            name = "Kỳ tự chấm thử " + Guid.NewGuid().ToString("N")[..6],
            criteriaSetId = setId,
            rankingGroup = "web-off-" + Guid.NewGuid().ToString("N")[..8],
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-1), selfAssessmentClosesAt = closes,
                appraisalOpensAt = closes, appraisalClosesAt = closes.AddHours(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = closes.AddHours(2), publicationAt = closes.AddHours(3),
            },
        });
        Assert.Equal(HttpStatusCode.Created, round.StatusCode);
        var roundId = (await round.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var units = await admin.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units", new { unitIds = new[] { SoTuPhap } });
        Assert.Equal(HttpStatusCode.NoContent, units.StatusCode);
        // The officer's page starts the assessment; the tests read its items over REST, so start it here too (idempotent).
        using var officer = await ClientAsync(Officer);
        using var start = await officer.PostAsJsonAsync("/api/submission/assessments", new { roundId, unitId = SoTuPhap });
        Assert.True(start.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
        return roundId;
    }

    private Task<HttpClient> ClientAsync(string username) => PlatformSignIn.PasswordAsync(fixture.Console, username);
}
