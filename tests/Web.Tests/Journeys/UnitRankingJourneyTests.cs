using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// Issue 15, a unit's page of the live ranking, over the seeded 2024 departments round (read only: nothing here
/// changes data other journeys read): the provincial admin follows a unit's link from the live table and reads its
/// standing, its profile against the group (chart and table), its what-if with the survey items apart, and the page
/// prints without the console's chrome; a unit the round does not rank (another tenant's, or no unit at all) is not
/// found, and a viewer is refused by the ranking service.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class UnitRankingJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private static readonly Guid DepartmentsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000001");
    /// <summary>Bắc Giang, a province of the national tenant: a unit, but not Quảng Ninh's.</summary>
    private static readonly Guid OtherTenantsUnit = Guid.Parse("20000000-0000-4000-8000-000000000003");

    [Fact]
    public Task The_admin_follows_a_unit_from_the_live_ranking_to_its_profile_and_what_if() =>
        fixture.WithServerLogsOnFailureAsync(output, JourneyAsync, "ranking");

    private async Task JourneyAsync()
    {
        SetDefaultExpectTimeout(45_000);
        await using (var admin = await fixture.NewPageAsync(output))
        {
            var page = admin.Page;
            await fixture.SignInAsync(page, "qn.quantri");
            await page.GotoAsync($"/rounds/{DepartmentsRound2024}/ranking");
            var first = page.GetByTestId("ranking-row").First;
            await Expect(first).ToBeVisibleAsync();
            var name = (await first.Locator("td").Nth(1).InnerTextAsync()).Trim();
            await first.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
            // Blazor enhances the link (no load event): wait for the address and the text.
            await Expect(page).ToHaveURLAsync(new Regex($"/rounds/{DepartmentsRound2024}/ranking/units/[0-9a-f-]{{36}}$"));
            await Expect(page.Locator("h1")).ToContainTextAsync(name);
            await Expect(page.GetByTestId("unit-rank")).ToHaveTextAsync(new Regex(@"^1 / \d+$"));
            // vi-VN figures: a decimal comma, never a point.
            await Expect(page.GetByTestId("unit-percent")).ToHaveTextAsync(new Regex(@"^\d{1,3},\d\d%$"));

            // The profile: a bar pair per field in the chart, the same fields in its table with the comparison in words.
            var chart = page.GetByTestId("profile-chart");
            await Expect(chart.Locator("svg title")).ToContainTextAsync("trung bình");
            // SVG lengths are written with a decimal point whatever the page's culture ("235,5" would draw no bar).
            var widths = await chart.Locator("svg rect[height='16']").EvaluateAllAsync<string[]>("bars => bars.map(bar => bar.getAttribute('width'))");
            Assert.NotEmpty(widths);
            Assert.All(widths, width => Assert.Matches(@"^\d+(\.\d+)?$", width));
            Assert.Contains(widths, width => decimal.Parse(width, System.Globalization.CultureInfo.InvariantCulture) > 0);
            var profileRows = chart.GetByTestId("profile-row");
            await Expect(profileRows.First).ToBeVisibleAsync();
            await Expect(profileRows.First).ToContainTextAsync(new Regex("cao hơn|thấp hơn|bằng trung bình"));

            // What-if: the unit's own items, each with the rank it reaches; the survey items in a table of their own.
            var gaps = page.GetByTestId("what-if-row");
            await Expect(gaps.First).ToBeVisibleAsync();
            await Expect(page.GetByTestId("what-if-projection")).ToContainTextAsync("hạng");
            var surveyGaps = page.GetByTestId("what-if-survey-row");
            await Expect(surveyGaps.First).ToBeVisibleAsync();
            var ownCodes = await gaps.Locator("td:first-child").AllInnerTextsAsync();
            var surveyCodes = await surveyGaps.Locator("td:first-child").AllInnerTextsAsync();
            Assert.Empty(ownCodes.Intersect(surveyCodes));
            // Each survey gap is a survey-scored item of the scorecard table, each own gap is not.
            var surveyItems = await page.Locator("[data-testid=subcriteria-row][data-source=Survey] td:first-child").AllInnerTextsAsync();
            Assert.All(surveyCodes, code => Assert.Contains(code, surveyItems));
            Assert.All(ownCodes, code => Assert.DoesNotContain(code, surveyItems));
            await Expect(page.GetByTestId("subcriteria-row").First).ToBeVisibleAsync();

            await Accessibility.AssertNoSeriousViolationsAsync(page, "ranking-unit");
            await Screenshots.SaveAsync(page, "ranking-unit");

            // Printed: the console's navigation and the what-if form go, the figures and the chart stay.
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Expect(page.Locator("nav").First).ToBeHiddenAsync();
            await Expect(page.GetByTestId("what-if-form")).ToBeHiddenAsync();
            await Expect(chart.Locator("svg")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("subcriteria-table")).ToBeVisibleAsync();
            var pdf = await page.PdfAsync(new() { Format = "A4", PreferCSSPageSize = true });
            Assert.True(pdf.Length > 10_000, $"the printed page is {pdf.Length} bytes");
            await page.EmulateMediaAsync(new() { Media = Media.Screen });

            // Another tenant's unit and an id that is no unit: the ranking service's "not found", in words.
            foreach (var unitId in new[] { OtherTenantsUnit, Guid.NewGuid() })
            {
                await page.GotoAsync($"/rounds/{DepartmentsRound2024}/ranking/units/{unitId}");
                await Expect(page.GetByTestId("problem")).ToHaveAttributeAsync("data-problem-code", "unit-not-ranked");
                await Expect(page.GetByTestId("unit-summary")).ToHaveCountAsync(0);
            }
            admin.AssertNoForeignRequests();
        }

        // A viewer may read published results only: the live unit page is refused by the service, not hidden by the page.
        await using (var viewer = await fixture.NewPageAsync(output))
        {
            var page = viewer.Page;
            await fixture.SignInAsync(page, "qn.xem");
            await page.GotoAsync($"/rounds/{DepartmentsRound2024}/ranking/units/{Guid.Parse("20000000-0000-4000-8000-000000000012")}");
            await Expect(page.GetByTestId("problem")).ToHaveAttributeAsync("data-problem-code", "forbidden");
            await Expect(page.GetByTestId("unit-summary")).ToHaveCountAsync(0);
            viewer.AssertNoForeignRequests();
        }
    }
}
