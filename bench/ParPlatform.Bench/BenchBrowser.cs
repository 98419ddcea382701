using System.Text.Json;
using Microsoft.Playwright;

namespace ParPlatform.Bench;

/// <summary>What the scenarios share: Debian's chromium, signing an official in, reading API answers, the summary line.</summary>
internal static class BenchBrowser
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
        Headless = true, Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
    });

    /// <summary>A new context (1366x768, vi-VN) with the user signed in through the identity service's page.</summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, Uri gateway, string user, string password)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = gateway.ToString(), ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync("/");
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/api/identity/") && !url.Contains("/signin-callback"));
        return page;
    }

    public static string Summary(string name, List<double> values, TimeSpan elapsed)
    {
        var sorted = values.Order().ToArray();
        double P(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return $"{name,-48} n {sorted.Length,6}  {sorted.Length / elapsed.TotalSeconds,6:N1}/s  p50 {P(0.5),7:N0} ms  p95 {P(0.95),7:N0} ms  max {(sorted.Length == 0 ? double.NaN : sorted[^1]),7:N0} ms";
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
