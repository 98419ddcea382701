using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ParPlatform.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// Issue 15, page 2 ("Criteria sets"): the provincial admin lists the sets, downloads one as Excel (imported again,
/// it is refused in words as a duplicate), copies the
/// published departments set of 2025 into a draft for 2031 under a code of the test's own (no other test uses that
/// year, and the seeded sets stay as they are), sets a sub-criterion's maximum off the score step so validation
/// reports it at that item, corrects it by moving a quarter point between two siblings, saves, meets a conflict when
/// the draft changed elsewhere meanwhile, reads the diff against the source (the two re-weighted items side by side)
/// and publishes after a confirmation, which leaves the page read-only.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CriteriaEditorJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private static readonly Guid DepartmentSet2025 = Guid.Parse("10000000-0000-4000-8000-000000000003");

    [Fact]
    public Task The_provincial_admin_copies_a_set_corrects_it_at_the_item_saves_compares_and_publishes() =>
        fixture.WithServerLogsOnFailureAsync(output, JourneyAsync, "criteria");

    private async Task JourneyAsync()
    {
        SetDefaultExpectTimeout(45_000);
        var code = "QN-SO-THU-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await using var admin = await fixture.NewPageAsync(output);
        var page = admin.Page;
        await fixture.SignInAsync(page, "qn.quantri");

        // The list: the seeded 2025 set is published; its Excel comes through the console (the browser holds no token).
        await page.GetByRole(AriaRole.Link, new() { Name = "Bộ tiêu chí", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/criteria$"));
        var source = page.Locator($"[data-testid=set-row][data-set-id='{DepartmentSet2025}']");
        await Expect(source.GetByTestId("set-status")).ToHaveTextAsync("Đã ban hành");
        var excel = await page.RunAndWaitForDownloadAsync(() => source.GetByTestId("export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", excel.SuggestedFilename);
        var workbook = await File.ReadAllBytesAsync((await excel.PathAsync())!);
        Assert.Equal("PK"u8.ToArray(), workbook[..2]); // a workbook is a zip
        await Accessibility.AssertNoSeriousViolationsAsync(page, "criteria-sets");
        await Screenshots.SaveAsync(page, "criteria-sets");

        // The same workbook imported again reaches the service, is read, and is refused in words: that set exists.
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = excel.SuggestedFilename, MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = workbook });
        await page.GetByTestId("import").ClickAsync();
        await Expect(page.GetByTestId("problem")).ToHaveAttributeAsync("data-problem-code", "duplicate-set");
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("Đã có bộ tiêu chí cùng mã và năm");

        // Copy it into a draft for 2031.
        await source.GetByTestId("clone-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"clone={DepartmentSet2025}"));
        await Expect(page.GetByTestId("clone-source")).ToHaveValueAsync(DepartmentSet2025.ToString());
        await Expect(page.GetByTestId("clone-year")).ToHaveValueAsync("2026");
        await page.GetByTestId("clone-year").FillAsync("2031");
        await page.GetByTestId("clone-code").FillAsync(code);
        await page.GetByTestId("clone").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/criteria/[0-9a-f-]{36}\?cloned=true$"));
        var setId = Guid.Parse(Regex.Match(page.Url, "/criteria/([0-9a-f-]{36})").Groups[1].Value);
        await Expect(page.GetByTestId("set-status")).ToHaveTextAsync("Dự thảo");
        await Expect(page.GetByTestId("cloned")).ToBeVisibleAsync();

        // 2.1.1 at 1,6 points is off the 0,25 step: validation says so at that item.
        var item = page.Locator("[data-testid=node][data-code='2.1.1']");
        var sibling = page.Locator("[data-testid=node][data-code='2.1.2']");
        await Expect(item.GetByTestId("node-max")).ToHaveTextAsync("1,5");
        await item.GetByTestId("node-edit").ClickAsync();
        await item.GetByTestId("node-max-input").FillAsync("1,6");
        await item.GetByTestId("node-max-input").PressAsync("Tab");
        await Expect(item.GetByTestId("node-max")).ToHaveTextAsync("1,6");
        await page.GetByTestId("validate").ClickAsync();
        var itemProblem = page.Locator("[data-testid=node-problem][data-code='2.1.1']");
        await Expect(itemProblem).ToContainTextAsync("score step");
        await Expect(item).ToHaveAttributeAsync("data-invalid", "true");
        // The screenshot shows the item with its problem, not the bottom of the page where Validate was pressed.
        await page.EvaluateAsync("() => document.querySelector(\"[data-testid=node][data-code='2']\").scrollIntoView()");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "criteria-set-editor");
        await Screenshots.SaveAsync(page, "criteria-set-editor");

        // Corrected: a quarter point moves from 2.1.2 to 2.1.1, so the criterion still adds up.
        await item.GetByTestId("node-max-input").FillAsync("1,75");
        await item.GetByTestId("node-max-input").PressAsync("Tab");
        await sibling.GetByTestId("node-edit").ClickAsync();
        await sibling.GetByTestId("node-max-input").FillAsync("1,25");
        await sibling.GetByTestId("node-max-input").PressAsync("Tab");
        await page.GetByTestId("validate").ClickAsync();
        await Expect(page.GetByTestId("editor-status")).ToHaveTextAsync("Bộ tiêu chí hợp lệ.");
        await Expect(page.GetByTestId("node-problem")).ToHaveCountAsync(0);
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("editor-status")).ToContainTextAsync("Đã lưu dự thảo");
        await Expect(page.GetByTestId("set-version")).ToHaveTextAsync("2");

        // The draft changes elsewhere (another admin, a script): saving the page's copy is refused in words, and reloads.
        using (var api = await PlatformSignIn.PasswordAsync(fixture.Console, "qn.quantri"))
        {
            var stored = await api.GetFromJsonAsync<JsonElement>($"/api/criteria/sets/{setId}");
            using var replaced = await api.PutAsJsonAsync($"/api/criteria/sets/{setId}", stored.GetProperty("definition"));
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("conflict")).ToContainTextAsync("đã được thay đổi ở nơi khác");
        await page.GetByTestId("reload").ClickAsync();
        await Expect(page.GetByTestId("set-version")).ToHaveTextAsync("3");
        await Expect(item.GetByTestId("node-max")).ToHaveTextAsync("1,75");

        // The diff against the source: both items re-weighted, before and after side by side.
        await page.GetByTestId("diff-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/criteria/{setId}/diff\\?from={DepartmentSet2025}"));
        var changed = page.Locator("[data-testid=diff-row][data-code='2.1.1']");
        await Expect(changed).ToHaveAttributeAsync("data-kind", "changed");
        await Expect(changed.GetByTestId("diff-before").GetByTestId("diff-points")).ToHaveTextAsync("1,5");
        await Expect(changed.GetByTestId("diff-after").GetByTestId("diff-points")).ToHaveTextAsync("1,75");
        await Expect(page.Locator("[data-testid=diff-row][data-code='2.1.2'][data-kind=changed]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("diff-row")).ToHaveCountAsync(2);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "criteria-set-diff");
        await Screenshots.SaveAsync(page, "criteria-set-diff");

        // Published after a confirmation: read-only from then on.
        await page.GotoAsync($"/criteria/{setId}");
        await page.GetByTestId("publish").ClickAsync();
        await Expect(page.GetByTestId("publish-confirmation")).ToBeVisibleAsync();
        await page.GetByTestId("confirm-publish").ClickAsync();
        await Expect(page.GetByTestId("set-status")).ToHaveTextAsync("Đã ban hành");
        await Expect(page.GetByTestId("read-only")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("node-edit")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("save")).ToHaveCountAsync(0);
        admin.AssertNoForeignRequests();
    }
}
