using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// The survey operator's page (questionnaires, the live intake figures) and the provincial admin's round progress
/// (every unit's state). CSV import, single paper-ballot entry and the questionnaire editor are not built yet.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SurveyOperationsJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_survey_operator_sees_the_questionnaires_and_the_intake_figures()
    {
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.dieutra");
        await page.GetByRole(AriaRole.Link, new() { Name = "Điều tra XHH" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Điều tra xã hội học");
        await Assertions.Expect(page.GetByTestId("intake-panel")).ToContainTextAsync("Đang chờ lưu");
        await Assertions.Expect(page.GetByTestId("questionnaires")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "survey-operations");
        await Screenshots.SaveAsync(page, "survey-operations");
        browser.AssertNoForeignRequests();
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
