using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ParPlatform.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// Issue 15, page 2 ("Units and rounds") and the accounts: the provincial admin creates an account of its own (a
/// unique name, Sở Tư pháp), finds it in the list, disables it, checks a two-row sheet in a dry run; reads the unit
/// tree with its lineage and the rounds' timeline, and moves a window of a round it made itself for the test (the
/// seeded rounds other journeys read stay as they are; the test round is deleted at the end). A unit officer opening
/// the accounts page gets the identity service's refusal, not the list.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdministrationJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private static readonly Guid CurrentYearRound = Guid.Parse("30000000-0000-4000-8000-000000000004");
    private static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");

    [Fact]
    public Task The_provincial_admin_manages_accounts_reads_units_and_rounds_and_an_officer_is_refused() =>
        fixture.WithServerLogsOnFailureAsync(output, JourneyAsync, "identity", "criteria");

    private async Task JourneyAsync()
    {
        SetDefaultExpectTimeout(45_000);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var api = await PlatformSignIn.PasswordAsync(fixture.Console, "qn.quantri");
        var (roundId, closes) = await CreateDraftRoundAsync(api, suffix);
        try
        {
            await AdminJourneyAsync(suffix, roundId, closes.AddDays(1));
        }
        finally
        {
            (await api.DeleteAsync($"/api/criteria/rounds/{roundId}")).EnsureSuccessStatusCode();
        }
        await OfficerIsRefusedAsync();
    }

    private async Task AdminJourneyAsync(string suffix, Guid roundId, DateTimeOffset movedClose)
    {
        await using var admin = await fixture.NewPageAsync(output);
        var page = admin.Page;
        await fixture.SignInAsync(page, "qn.quantri");

        // Accounts: create one for Sở Tư pháp, shown once with its one-time password, then listed and disabled.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tài khoản", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/accounts"));
        var userName = $"test.admin.{suffix}";
        await page.GetByTestId("new-user-name").FillAsync(userName);
        await page.GetByTestId("new-display-name").FillAsync($"Cán bộ thử {suffix}");
        await page.GetByTestId("new-email").FillAsync($"{userName}@example.vn");
        await page.GetByTestId("new-role").SelectOptionAsync("unit-officer");
        await page.GetByTestId("new-unit").SelectOptionAsync(SoTuPhap.ToString());
        await page.GetByTestId("create").ClickAsync();
        await Expect(page.GetByTestId("account-created")).ToContainTextAsync(userName);
        await Expect(page.GetByTestId("one-time-password")).Not.ToBeEmptyAsync();
        var row = page.Locator($"[data-testid=account-row][data-user-name='{userName}']");
        await Expect(row).ToContainTextAsync("Sở Tư pháp");
        await Expect(row.GetByTestId("account-status")).ToHaveTextAsync("Đang hoạt động");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "admin-accounts");
        await Screenshots.SaveAsync(page, "admin-accounts");

        await row.GetByTestId("disable").ClickAsync();
        await Expect(page.GetByTestId("account-changed")).ToContainTextAsync(userName);
        await Expect(page.Locator($"[data-testid=account-row][data-user-name='{userName}']").GetByTestId("account-status")).ToHaveTextAsync("Đã khoá");

        // The filter keeps what it asks for: this unit's disabled accounts include the new one.
        await page.GotoAsync($"/admin/accounts?unitId={SoTuPhap}&status=disabled&search={userName}");
        await Expect(page.GetByTestId("account-row")).ToHaveCountAsync(1);

        // A two-row sheet, checked only: the report lists both rows and creates nothing.
        await page.GetByTestId("import-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/accounts/import"));
        var csv = "unit_code,full_name,email,role\n"
            + $"STP,Nguyễn Văn Thử {suffix},thu1.{suffix}@example.vn,Cán bộ\n"
            + $"STP,Trần Thị Thử {suffix},thu2.{suffix}@example.vn,Lãnh đạo\n";
        await page.GetByTestId("sheet").SetInputFilesAsync(new FilePayload
        {
            Name = "tai-khoan.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByTestId("dry-run").ClickAsync();
        var report = page.GetByTestId("import-report");
        await Expect(report).ToHaveAttributeAsync("data-dry-run", "true");
        await Expect(page.GetByTestId("import-summary")).ToContainTextAsync("2 dòng: 2 tạo mới");
        await Expect(page.Locator("[data-testid=import-row][data-status=create]")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("apply")).ToBeVisibleAsync();

        // Units: the tree under the province, with Tiên Yên's split shown as such.
        await page.GetByRole(AriaRole.Link, new() { Name = "Đơn vị", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/units"));
        var tree = page.GetByTestId("unit-tree");
        await Expect(tree).ToContainTextAsync("Tỉnh Quảng Ninh");
        await Expect(tree).ToContainTextAsync("Sở Tư pháp");
        await Expect(page.GetByTestId("unit-lineage")).ToContainTextAsync("Chia tách");
        await Expect(page.GetByTestId("unit-origins").First).ToContainTextAsync("Huyện Tiên Yên");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "admin-units");
        await Screenshots.SaveAsync(page, "admin-units");

        // Rounds: the timeline and its table; the test's own round opens and one window moves, recorded in its history.
        await page.GetByRole(AriaRole.Link, new() { Name = "Kỳ đánh giá", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/rounds$"));
        await Expect(page.GetByTestId("round-timeline").Locator("svg title")).ToContainTextAsync("Dòng thời gian");
        await Expect(page.Locator("[data-testid=round-row][data-round-id='30000000-0000-4000-8000-000000000001']")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "admin-rounds");
        await Screenshots.SaveAsync(page, "admin-rounds");

        await page.Locator($"a[href='/admin/rounds/{roundId}']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/admin/rounds/{roundId}"));
        await page.GetByTestId("window-selfAssessmentClosesAt").FillAsync(movedClose.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture));
        await page.GetByTestId("move-reason").FillAsync("Quyết định số 15/QĐ-SNV gia hạn tự đánh giá");
        await page.GetByTestId("confirm-move").CheckAsync();
        await page.GetByTestId("save-windows").ClickAsync();
        await Expect(page.GetByTestId("windows-saved")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("window-audit")).ToContainTextAsync(movedClose.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("window-audit")).ToContainTextAsync("Quyết định số 15/QĐ-SNV gia hạn tự đánh giá");
        admin.AssertNoForeignRequests();
    }

    private async Task OfficerIsRefusedAsync()
    {
        await using var officer = await fixture.NewPageAsync(output);
        var page = officer.Page;
        await fixture.SignInAsync(page, "qn.tuphap.canbo");
        await page.GotoAsync("/admin/accounts");
        await Expect(page.GetByTestId("problem")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("accounts")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("create-form")).ToHaveCountAsync(0);
        officer.AssertNoForeignRequests();
    }

    /// <summary>
    /// A draft round of the test's own (a free ranking group name, no units, self-assessment a month ahead, so it can be
    /// deleted afterwards), on the published set of the seeded current-year round, so no seeded round moves.
    /// </summary>
    [Fact]
    public Task The_provincial_admin_opens_a_round_on_a_published_set_with_its_units() =>
        fixture.WithServerLogsOnFailureAsync(output, OpenRoundAsync, "criteria");

    /// <summary>
    /// "Mở kỳ đánh giá mới": the set first (its year and level decide the units offered), then the name, group, the
    /// windows in dd/MM/yyyy HH:mm and the units, all active departments ticked. The round opens in 30 days, so no other
    /// journey sees it open; it is emptied and deleted at the end.
    /// </summary>
    private async Task OpenRoundAsync()
    {
        SetDefaultExpectTimeout(45_000);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var api = await PlatformSignIn.PasswordAsync(fixture.Console, "qn.quantri");
        var current = (await api.GetFromJsonAsync<RoundOnly>($"/api/criteria/rounds/{CurrentYearRound}"))!;
        await using var admin = await fixture.NewPageAsync(output);
        var page = admin.Page;
        await fixture.SignInAsync(page, "qn.quantri");
        await page.GotoAsync("/admin/rounds");
        await page.GetByTestId("new-round").ClickAsync();
        await page.GetByTestId("round-set").SelectOptionAsync(current.CriteriaSetId.ToString());
        await page.GetByTestId("round-set-choose").ClickAsync();

        await Expect(page.GetByTestId("new-round-form")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("round-units-choice")).ToContainTextAsync("Sở Tư pháp");
        await page.GetByTestId("round-name").FillAsync($"Kỳ thử mở mới {suffix}");
        await page.GetByTestId("round-group").FillAsync($"test-open-{suffix}");
        var vietnam = TimeSpan.FromHours(7);
        var opens = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(vietnam).Date.AddDays(30).AddHours(8), vietnam);
        string Typed(DateTimeOffset at) => at.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        foreach (var (window, at) in new[]
        {
            ("selfAssessmentOpensAt", opens), ("selfAssessmentClosesAt", opens.AddDays(14)), ("appraisalOpensAt", opens.AddDays(15)),
            ("appraisalClosesAt", opens.AddDays(30)), ("surveyOpensAt", opens), ("surveyClosesAt", opens.AddDays(30)), ("publicationAt", opens.AddDays(40)),
        })
        {
            await page.GetByTestId($"new-window-{window}").FillAsync(Typed(at));
        }
        await Accessibility.AssertNoSeriousViolationsAsync(page, "admin-round-new");
        await Screenshots.SaveAsync(page, "admin-round-new");
        await page.GetByTestId("create-round").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin/rounds/[0-9a-f-]{36}$"));
        var roundId = Guid.Parse(page.Url[^36..]);
        try
        {
            await Expect(page.Locator("h1")).ToHaveTextAsync($"Kỳ thử mở mới {suffix}");
            await Expect(page.GetByTestId("round-units")).ToContainTextAsync("Sở Tư pháp");
            await Expect(page.GetByTestId("window-selfAssessmentOpensAt")).ToHaveValueAsync(Typed(opens));
            var created = (await api.GetFromJsonAsync<RoundOnly>($"/api/criteria/rounds/{roundId}"))!;
            Assert.Equal((current.Year, current.CriteriaSetId), (created.Year, created.CriteriaSetId));
            admin.AssertNoForeignRequests();
        }
        finally
        {
            (await api.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units", new { unitIds = Array.Empty<Guid>() })).EnsureSuccessStatusCode();
            (await api.DeleteAsync($"/api/criteria/rounds/{roundId}")).EnsureSuccessStatusCode();
        }
    }

    private static async Task<(Guid Id, DateTimeOffset SelfAssessmentCloses)> CreateDraftRoundAsync(HttpClient api, string suffix)
    {
        var current = (await api.GetFromJsonAsync<RoundOnly>($"/api/criteria/rounds/{CurrentYearRound}"))!;
        var vietnam = TimeSpan.FromHours(7);
        var opens = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(vietnam).Date.AddDays(30), vietnam);
        var closes = opens.AddDays(14).AddHours(17);
        using var response = await api.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = current.Year,
            name = $"Kỳ thử quản trị {suffix}",
            criteriaSetId = current.CriteriaSetId,
            rankingGroup = $"test-admin-{suffix}",
            windows = new
            {
                selfAssessmentOpensAt = opens, selfAssessmentClosesAt = closes,
                appraisalOpensAt = closes.AddDays(1), appraisalClosesAt = closes.AddDays(20),
                surveyOpensAt = opens, surveyClosesAt = closes.AddDays(15),
                publicationAt = closes.AddDays(30),
            },
        });
        Assert.True(response.IsSuccessStatusCode, $"creating the test round: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return ((await response.Content.ReadFromJsonAsync<RoundOnly>())!.Id, closes);
    }

    private sealed record RoundOnly(Guid Id, int Year, Guid CriteriaSetId);
}
