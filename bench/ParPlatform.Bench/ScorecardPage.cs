using System.Diagnostics;
using Microsoft.Playwright;

namespace ParPlatform.Bench;

/// <summary>What the benchmark reads off the officer's scorecard page (web/Features/Scorecard): its data-testid and
/// data-* attributes, the same the browser journeys use.</summary>
internal static class ScorecardPage
{
    private const string Items = "article[data-testid^='item-']";

    /// <summary>First useful paint: every scorable item of the tree is on the page. The scorecard is prerendered, so
    /// the items are in the HTML itself: checked once when the document is parsed, with no polling loop running in
    /// fifty pages (the benchmark's own waiting would otherwise be a good part of the browsers' CPU).</summary>
    public static async Task<bool> HasUsefulPaintAsync(IPage page) =>
        await page.EvaluateAsync<int>($"() => document.querySelectorAll(\"{Items}\").length") >= ParPlatform.Testing.ScorecardRounds.SelfAssessedItems;

    public static Task WaitForInteractiveAsync(IPage page) =>
        UntilAsync(page, "() => document.querySelector(\"[data-testid='scorecard'][data-interactive='true']\") !== null", null);

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
        await UntilAsync(page, "([code, version]) => { const e = document.querySelector(`article[data-testid='item-${code}']`); return e !== null && e.dataset.version !== version; }",
            new[] { code, version ?? "" });
        return clock.Elapsed;
    }

    /// <summary>Resolves when <paramref name="condition"/> holds, woken by DOM changes (a MutationObserver) rather than
    /// a timer; two minutes at most.</summary>
    private static Task UntilAsync(IPage page, string condition, object? argument) =>
        page.EvaluateAsync<bool>($$"""
            argument => new Promise(resolve => {
                const holds = {{condition}};
                if (holds(argument)) { resolve(true); return; }
                const observer = new MutationObserver(() => { if (holds(argument)) { observer.disconnect(); resolve(true); } });
                observer.observe(document, { subtree: true, childList: true, attributes: true });
            })
            """, argument).WaitAsync(TimeSpan.FromMinutes(2));
}
