using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ParPlatform.Testing;

namespace ParPlatform.Bench;

/// <summary>
/// Issue 14's figures: 50 officials, each of their own unit, working at once in a real browser (Debian's chromium,
/// one context each) on a round of 100 self-assessed sub-criteria. Each official loops: open the scorecard (time to
/// first useful paint: every item of the tree on screen with its score control), then save one item (time from the
/// click to the page showing it saved). p50/p95 over the run, and CPU per process.
/// </summary>
internal static class ConsoleScenarios
{
    private const string BenchPassword = "Do-tai-giao-dien-2026!";

    public static async Task ScorecardAsync(BenchContext context)
    {
        var officials = int.TryParse(Environment.GetEnvironmentVariable("PAR_BENCH_OFFICIALS"), out var n) ? n : 50;
        var gateway = context.App.GatewayHttp;
        using var admin = await PlatformSignIn.PasswordAsync(gateway, "qn.quantri");

        // 50 units of the province, an officer account each (one-time password changed, as a new official does).
        var token = Guid.NewGuid().ToString("N")[..6];
        var units = new List<(Guid Unit, string User)>();
        for (var index = 0; index < officials; index++)
        {
            var unit = await BenchBrowser.ReadAsync(await admin.PostAsJsonAsync("api/criteria/units", new
            {
                code = $"B{token}{index:00}", name = $"Đơn vị đo tải {index + 1}", type = "Department",
                parentId = "20000000-0000-4000-8000-000000000001", validFrom = "2020-01-01",
            }));
            var unitId = unit.GetProperty("id").GetGuid();
            var user = $"bench{token}.{index:00}";
            var account = await BenchBrowser.ReadAsync(await admin.PostAsJsonAsync("api/identity/accounts", new
            {
                userName = user, displayName = $"Cán bộ đơn vị {index + 1}", role = "unit-officer", unitId = unitId.ToString(),
            }));
            using var anonymous = new HttpClient { BaseAddress = gateway };
            (await anonymous.PostAsJsonAsync("api/identity/connect/password", new
            {
                userName = user, currentPassword = account.GetProperty("oneTimePassword").GetString(), newPassword = BenchPassword,
            })).EnsureSuccessStatusCode();
            units.Add((unitId, user));
        }
        var roundId = await ScorecardRounds.CreateRoundAsync(admin, [.. units.Select(unit => unit.Unit)], DateTimeOffset.UtcNow.AddHours(6));
        Console.WriteLine($"bench: {officials} units and officers, round {roundId} of {ScorecardRounds.SelfAssessedItems} self-assessed items");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchBrowser.LaunchAsync(playwright);
        var pages = new List<IPage>();
        foreach (var (_, user) in units)
        {
            var page = await BenchBrowser.SignedInPageAsync(browser, gateway, user, BenchPassword);
            pages.Add(page);
        }
        Console.WriteLine($"bench: {pages.Count} officials signed in; load {File.ReadAllText("/proc/loadavg").Trim()}");

        // First one official alone, one thing at a time, so each kind of operation has its own CPU figure: what the
        // platform spends per page opened and per item saved, without the queue behind fifty browsers.
        await IsolatedCostAsync(context, pages[0], roundId);

        // An official at work, not a load generator: open the scorecard, then score items one after another with
        // the time a person takes between two saves (reading the sub-criterion, typing the explanation), and every
        // few items open the page again (a reload, coming back from another page). PAR_BENCH_THINK_SECONDS sets the
        // mean pause (5 s: a quick official; 0 turns the officials into a stress test).
        var think = double.TryParse(Environment.GetEnvironmentVariable("PAR_BENCH_THINK_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : 5;
        var paints = new List<double>();
        var saves = new List<double>();
        var errors = 0;
        var cpu = CpuMeter.StartWithInfrastructure(context.Pids("gateway", "web", "submission", "criteria", "evidence-storage", "identity"), browsers: true);
        var stopAt = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(pages.Select(async (page, official) =>
        {
            var random = new Random(official);
            Task PauseAsync() => think <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(think * (0.5 + random.NextDouble())));
            // Officials do not all start in the same second.
            await Task.Delay(TimeSpan.FromSeconds(think * random.NextDouble()));
            var round = official * 7;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                try
                {
                    var clock = Stopwatch.StartNew();
                    await page.GotoAsync($"/rounds/{roundId}/scorecard", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
                    if (!await ScorecardPage.HasUsefulPaintAsync(page))
                    {
                        throw new TimeoutException($"the scorecard at {page.Url} came without its items");
                    }
                    lock (paints) paints.Add(clock.Elapsed.TotalMilliseconds);
                    await ScorecardPage.WaitForInteractiveAsync(page);
                    for (var save = 0; save < 5 && Stopwatch.GetTimestamp() < stopAt; save++)
                    {
                        await PauseAsync();
                        var saved = await ScorecardPage.SaveOneItemAsync(page, round++);
                        lock (saves) saves.Add(saved.TotalMilliseconds);
                    }
                    await PauseAsync();
                }
                catch (Exception failure) when (failure is PlaywrightException or TimeoutException)
                {
                    Interlocked.Increment(ref errors);
                    Console.WriteLine($"bench: official {official}: {failure.Message.Split('\n')[0]}");
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(BenchBrowser.Summary($"scorecard first useful paint ({officials} officials)", paints, elapsed));
        Console.WriteLine(BenchBrowser.Summary($"save one item ({officials} officials)", saves, elapsed));
        Console.WriteLine($"errors {errors}; mean pause {think} s; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var operations = paints.Count + saves.Count;
        var spent = cpu.Sample();
        Console.WriteLine($"{cpu.PerOperation(operations)} (an operation: a page opened or an item saved)");
        // What the platform itself (not the browsers, not this process) spent, and the cores it would need for fifty
        // officials working at this pace: its CPU per second of the run, scaled by the number of officials.
        // PostgreSQL and RabbitMQ are left out: they are counted by process name over the whole machine, which
        // includes another platform's when one runs alongside.
        var platform = spent.Where(process => Platform.Contains(process.Key)).Sum(process => process.Value);
        Console.WriteLine($"platform services {platform * 1e3 / Math.Max(1, operations):N0} ms CPU per operation ({paints.Count} opens, {saves.Count} saves), " +
            $"{platform / elapsed.TotalSeconds:N2} cores busy; for 50 officials at this pace {platform / elapsed.TotalSeconds * 50 / officials:N2} cores " +
            $"(web alone {spent["web"] / elapsed.TotalSeconds * 50 / officials:N2})");

        // Then everyone reads for a while with the page open, touching nothing: what an open scorecard costs by
        // itself (its circuit, the countdown), per official per second.
        var idle = CpuMeter.StartWithInfrastructure(context.Pids("web"), browsers: true);
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idleSpent = idle.Sample();
        var perOfficialSecond = 1e6 / (officials * idleClock.Elapsed.TotalSeconds);
        Console.WriteLine($"{officials} scorecards open, nobody acting for {idleClock.Elapsed.TotalSeconds:N0} s: web {idleSpent["web"] * perOfficialSecond:N0} µs, " +
            $"chromium {idleSpent["chromium"] * perOfficialSecond:N0} µs CPU per open page per second");
    }

    private static readonly string[] Platform = ["gateway", "web", "submission", "criteria", "evidence-storage", "identity"];

    private static async Task IsolatedCostAsync(BenchContext context, IPage page, Guid roundId)
    {
        async Task OpenAsync()
        {
            await page.GotoAsync($"/rounds/{roundId}/scorecard", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await ScorecardPage.WaitForInteractiveAsync(page);
        }
        // Warm: the first open starts the unit's assessment, and the JIT is still recompiling hot paths.
        for (var warm = 0; warm < 3; warm++)
        {
            await OpenAsync();
            await ScorecardPage.SaveOneItemAsync(page, 90 + warm);
        }
        var idle = CpuMeter.Start(context.Pids(Platform));
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idleRate = idle.Sample().ToDictionary(process => process.Key, process => process.Value / idleClock.Elapsed.TotalSeconds);

        async Task<string> MeasureAsync(string what, int times, Func<int, Task> operation)
        {
            var meter = CpuMeter.Start(context.Pids(Platform));
            var clock = Stopwatch.StartNew();
            for (var index = 0; index < times; index++)
            {
                await operation(index);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var spent = meter.Sample().ToDictionary(process => process.Key, process => process.Value * 1e3 / times);
            return $"{what,-6} {seconds * 1e3 / times,6:N0} ms wall; CPU per {what}: platform {spent.Values.Sum(),5:N0} ms (" +
                string.Join(", ", spent.Select(process => $"{process.Key} {process.Value:N1}")) + " ms)";
        }
        var opens = await MeasureAsync("open", 8, _ => OpenAsync());
        var saves = await MeasureAsync("save", 20, index => ScorecardPage.SaveOneItemAsync(page, index * 5));
        // Not taken off the figures above: right after start-up it is not steady (tiered JIT, telemetry batches).
        Console.WriteLine($"bench: one official alone, one operation at a time (the platform's idle rate just before, included below: " +
            $"{string.Join(", ", idleRate.Select(process => $"{process.Key} {process.Value * 1e3:N1} ms/s"))})");
        Console.WriteLine(opens);
        Console.WriteLine(saves);
    }
}
