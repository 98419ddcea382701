using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Playwright;
using ParPlatform.Contracts;
using ParPlatform.Contracts.Events;
using ParPlatform.Testing;

namespace ParPlatform.Bench;

/// <summary>
/// Issue 15's figures: the console's live ranking page of a 3,321-unit round (as many units as the communes of the 34
/// provinces) in a real browser. The units, the round and its set are made through the criteria API; each unit's
/// finalised appraisal reaches the ranking as the submission service would announce it (AppraisalFinalized on the
/// broker). Then one provincial admin opens the page again and again (time to the first page of 50 rows on screen),
/// sorts it by a column and turns pages (time from the click to the new rows on screen). p50 / p95 and CPU per process.
/// </summary>
internal static class RankingScenarios
{
    public static async Task LivePageAsync(BenchContext context)
    {
        var unitCount = int.TryParse(Environment.GetEnvironmentVariable("PAR_BENCH_UNITS"), out var n) ? n : 3321;
        var gateway = context.App.GatewayHttp;
        using var admin = await PlatformSignIn.PasswordAsync(gateway, "qn.quantri");

        var token = Guid.NewGuid().ToString("N")[..6];
        var seeding = Stopwatch.StartNew();
        var units = new Guid[unitCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, unitCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, cancellation) =>
        {
            var unit = await BenchBrowser.ReadAsync(await admin.PostAsJsonAsync("api/criteria/units", new
            {
                code = $"X{token}{index:0000}", name = $"Xã thử tải {index + 1:0000}", type = "Department",
                parentId = "20000000-0000-4000-8000-000000000001", validFrom = "2020-01-01",
            }, cancellation));
            units[index] = unit.GetProperty("id").GetGuid();
        });
        var roundId = await ScorecardRounds.CreateRoundAsync(admin, units, DateTimeOffset.UtcNow.AddHours(6));
        var tenant = (await BenchBrowser.ReadAsync(await admin.GetAsync($"api/criteria/rounds/{roundId}"))).GetProperty("tenantId").GetString()!;
        Console.WriteLine($"bench: {unitCount} units and round {roundId} made in {seeding.Elapsed.TotalSeconds:0} s");

        // Every unit finalised once, with scores spread so ranks, ties and bands vary.
        var codes = SubCriterionCodes();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(context.App.ResourceConnectionString(ResourceNames.Messaging))));
        await bus.StartAsync();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, unitCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (index, cancellation) =>
            {
                var random = new Random(index);
                await bus.Publish(new AppraisalFinalized(Guid.NewGuid(), roundId, tenant, units[index], 1, DateTimeOffset.UtcNow,
                    codes.Select(code => new AppraisedItemScore(code.Code, code.Max * random.Next(0, 5) / 4m)).ToList()), cancellation);
            });
        }
        finally
        {
            await bus.StopAsync();
        }
        var ranked = 0;
        while (ranked < unitCount)
        {
            await Task.Delay(2000);
            ranked = (await BenchBrowser.ReadAsync(await admin.GetAsync($"api/ranking/rounds/{roundId}/live?page=1&pageSize=1"))).GetProperty("totalRows").GetInt32();
            Console.WriteLine($"bench: {ranked} of {unitCount} units ranked after {seeding.Elapsed.TotalSeconds:0} s");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchBrowser.LaunchAsync(playwright);
        var page = await BenchBrowser.SignedInPageAsync(browser, gateway, "qn.quantri", PlatformSignIn.DemoPassword);
        page.SetDefaultTimeout(60_000);

        var rows = page.GetByTestId("ranking-row");
        var opens = new List<double>();
        var turns = new List<double>();
        var cpu = CpuMeter.StartWithInfrastructure(context.Pids("gateway", "web", "ranking", "criteria", "identity"), browsers: true);
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        var sorts = new[] { "sort-points", "sort-unit", "sort-percent", "sort-change", "sort-rank" };
        for (var i = 0; Stopwatch.GetTimestamp() < stopAt || opens.Count < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync($"/rounds/{roundId}/ranking");
            await Assertions.Expect(rows).ToHaveCountAsync(50);
            opens.Add(clock.Elapsed.TotalMilliseconds);

            // A sort, then two pages further: each a new address whose rows the server renders. The console's
            // enhanced navigation patches the page in place, so the old table is marked and the new one awaited.
            foreach (var testId in new[] { sorts[i % sorts.Length], "page-next", "page-next" })
            {
                var before = await rows.First.InnerTextAsync();
                await page.EvaluateAsync("() => document.querySelector('[data-testid=ranking-table]').setAttribute('data-stale', '1')");
                clock.Restart();
                await page.GetByTestId(testId).First.ClickAsync();
                await page.Locator("[data-testid=ranking-table]:not([data-stale])").WaitForAsync();
                await Assertions.Expect(rows).ToHaveCountAsync(50);
                turns.Add(clock.Elapsed.TotalMilliseconds);
                if (testId == "page-next" && await rows.First.InnerTextAsync() == before)
                {
                    throw new InvalidOperationException($"{page.Url}: the next page shows the same first row");
                }
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(BenchBrowser.Summary($"live ranking page opened ({unitCount} units)", opens, elapsed));
        Console.WriteLine(BenchBrowser.Summary("sort or next page (click -> new rows)", turns, elapsed));
        Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"{cpu.PerOperation(opens.Count + turns.Count)} (an operation: the page opened, sorted or turned)");
    }

    /// <summary>The appraised sub-criteria of <see cref="ScorecardRounds.HundredSubCriterionSet"/> with their maxima.</summary>
    private static List<(string Code, decimal Max)> SubCriterionCodes() =>
        CriteriaJson.Leaves(JsonSerializer.SerializeToElement(ScorecardRounds.HundredSubCriterionSet("X", 2026)).GetProperty("fields"))
            .Where(leaf => leaf.TryGetProperty("method", out var method) && method.GetString() == "Appraised")
            .Select(leaf => (leaf.GetProperty("code").GetString()!, leaf.GetProperty("maxPoints").GetDecimal()))
            .ToList();
}
