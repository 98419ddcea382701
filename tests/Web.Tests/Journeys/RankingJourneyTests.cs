using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// Issue 15, the ranking and ministry pages, in the browser over the seeded 2024 district round (the seed finalises
/// every unit's appraisal, so the ranking service has its live table): the provincial admin opens the live table,
/// sorts and filters it, reads a chart's text alternative and publishes with a confirmation; a ministry reader
/// (bo.xem, a national viewer) finds the published table among every province's, downloads its CSV and the results
/// annex, and is refused the live table it may not read.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RankingJourneyTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private static readonly Guid DistrictsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000003");

    [Fact]
    public Task The_admin_sorts_filters_and_publishes_and_a_national_reader_downloads_the_published_table() =>
        fixture.WithServerLogsOnFailureAsync(output, JourneyAsync, "ranking");

    private async Task JourneyAsync()
    {
        SetDefaultExpectTimeout(45_000);
        await using (var admin = await fixture.NewPageAsync(output))
        {
            var page = admin.Page;
            await fixture.SignInAsync(page, "qn.quantri");
            await page.GotoAsync("/rankings");
            await page.GetByTestId($"ranking-round-{DistrictsRound2024}").GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/rounds/{DistrictsRound2024}/ranking"));
            var rows = page.GetByTestId("ranking-row");
            await Expect(rows.First).ToBeVisibleAsync();
            await Expect(rows.First.Locator("td").First).ToHaveTextAsync("1");
            await Expect(page.GetByTestId("band-chart").Locator("svg title")).ToContainTextAsync("Phân bố xếp loại");
            await Expect(page.GetByTestId("band-chart-text")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "ranking-live");
            await Screenshots.SaveAsync(page, "ranking-live");

            // Sorting by rank, descending: the last rank comes first.
            var count = await rows.CountAsync();
            await page.GetByTestId("sort-rank").ClickAsync();
            // Blazor enhances the link (no load event): wait for the address, not a navigation.
            await Expect(page).ToHaveURLAsync(new Regex("sort=rank-desc"));
            await Expect(page.GetByTestId("sort-rank")).ToContainTextAsync("▼");
            await Expect(rows.First.Locator("td").First).Not.ToHaveTextAsync("1");

            // Filtering by a unit's name keeps that unit only.
            var name = (await rows.First.Locator("td").Nth(1).InnerTextAsync()).Trim();
            await page.GetByTestId("ranking-search").FillAsync(name);
            await page.GetByTestId("ranking-apply").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("q="));
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.First).ToContainTextAsync(name);
            Assert.True(count > 1, "the seeded round ranks several units");

            // Publishing needs the confirmation (the browser refuses an unticked required box), then it is done.
            await page.GotoAsync($"/rounds/{DistrictsRound2024}/ranking");
            await page.GetByTestId("publish-confirm").CheckAsync();
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("published-notice")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("latest-publication")).ToBeVisibleAsync();
            admin.AssertNoForeignRequests();
        }

        await using (var national = await fixture.NewPageAsync(output))
        {
            var page = national.Page;
            await fixture.SignInAsync(page, "bo.xem");
            await page.GotoAsync("/published?year=2024");
            await Expect(page.GetByTestId("published-row").First).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "published-list");
            await Screenshots.SaveAsync(page, "published-list");
            await page.Locator($"a[href='/published/{DistrictsRound2024}']").ClickAsync();
            await Expect(page.GetByTestId("published-table-row").First).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "published-table");
            await Screenshots.SaveAsync(page, "published-table");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-csv").ClickAsync());
            var path = await download.PathAsync();
            var csv = await File.ReadAllTextAsync(path!);
            Assert.Contains(";", csv);
            Assert.EndsWith(".csv", download.SuggestedFilename);
            // The results annex a ministry reader downloads is issued by the province whose table it is.
            var annex = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-annex").ClickAsync());
            Assert.EndsWith(".docx", annex.SuggestedFilename);
            using (var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open((await annex.PathAsync())!, false))
            {
                var text = document.MainDocumentPart!.Document.Body!.InnerText;
                Assert.Contains("UBND TỈNH QUẢNG NINH", text);
                Assert.Contains("PHỤ LỤC", text);
            }
            // Nothing unpublished: the live table (still moving) answers the reader a refusal, not its rows.
            await page.GotoAsync($"/rounds/{DistrictsRound2024}/ranking");
            await Expect(page.GetByTestId("problem")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByTestId("ranking-row").CountAsync());
            national.AssertNoForeignRequests();
        }
    }
}
