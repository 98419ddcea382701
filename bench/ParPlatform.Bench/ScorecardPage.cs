using System.Diagnostics;
using Microsoft.Playwright;

namespace ParPlatform.Bench;

/// <summary>What the benchmark reads off the officer's scorecard page (web/Features/Scorecard): its data-testid and
/// data-* attributes, the same the browser journeys use.</summary>
internal static class ScorecardPage
{
    private const string Items = "article[data-testid^='item-']";

    /// <summary>First useful paint: every scorable item of the tree is on the page (server-rendered, before the
    /// interactive circuit connects).</summary>
    public static Task WaitForUsefulPaintAsync(IPage page) =>
        page.WaitForFunctionAsync($"() => document.querySelectorAll(\"{Items}\").length >= {ParPlatform.Testing.ScorecardRounds.SelfAssessedItems}",
            null, new() { PollingInterval = 20 });

    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-testid='scorecard'][data-interactive='true']").WaitForAsync();

    /// <summary>Writes an explanation on item <paramref name="n"/> (mod 100), clicks Save and waits until the item
    /// carries the service's next version: the time from the click to the answer shown.</summary>
    public static async Task<TimeSpan> SaveOneItemAsync(IPage page, int n)
    {
        var item = page.Locator(Items).Nth(n % ParPlatform.Testing.ScorecardRounds.SelfAssessedItems);
        var code = (await item.GetAttributeAsync("data-testid"))!["item-".Length..];
        var version = await item.GetAttributeAsync("data-version");
        await item.Locator("textarea").FillAsync($"Đơn vị giải trình (lần {n}): tài liệu đang được bổ sung.");
        var clock = Stopwatch.StartNew();
        await item.Locator($"[data-testid='save-{code}']").ClickAsync();
        await page.WaitForFunctionAsync(
            "([code, version]) => { const e = document.querySelector(`article[data-testid='item-${code}']`); return e && e.dataset.version !== version; }",
            new[] { code, version ?? "" }, new() { PollingInterval = 10 });
        return clock.Elapsed;
    }
}
