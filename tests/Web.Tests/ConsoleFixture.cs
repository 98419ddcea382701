using System.Diagnostics;
using Microsoft.Playwright;
using ParPlatform.Testing;
using Xunit.Abstractions;

namespace ParPlatform.Web.Tests;

/// <summary>
/// The whole platform (the AppHost's app model, as <c>./run.sh</c> starts it) and one headless chromium driven by
/// Playwright. The web console is served by the gateway, so <see cref="Console"/> is the gateway's REST address and
/// the only origin a page may talk to. Each test gets its own browser context (<see cref="NewPageAsync"/>): cookies
/// and storage are never shared between tests, the browser process is.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>The demo accounts' one password (services/Identity/Seed/DemoAccounts.cs; local-only credentials).</summary>
    public const string DemoPassword = "ParDemo#2026";

    /// <summary>Identity's registered callback path for the console (services/Identity/appsettings.json).</summary>
    private const string CallbackPath = "/signin-callback";

    /// <summary>A proxy address nothing listens on: a request sent there fails at once (ERR_PROXY_CONNECTION_FAILED).</summary>
    private const string DeadProxy = "http://127.0.0.1:9";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string StateFolder { get; } = TestInfrastructure.NewRunFolder();
    public AppHostRun App { get; private set; } = null!;

    /// <summary>The console's address: the gateway's REST endpoint, which serves the console at <c>/</c>.</summary>
    public Uri Console => App.GatewayHttp;

    /// <summary>From Playwright's driver start to a running chromium.</summary>
    public TimeSpan BrowserLaunch { get; private set; }

    /// <summary>From building the app model to every service healthy.</summary>
    public TimeSpan PlatformStart { get; private set; }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not running.");

    /// <summary>Debian's chromium (scripts/setup.sh), or another build named by <c>CHROMIUM_PATH</c>.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        TestInfrastructure.RemoveStaleRuns();
        // The browser first: seconds, and a missing chromium fails the run before minutes of platform start-up.
        var clock = Stopwatch.StartNew();
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No chromium at {ChromiumPath}: run scripts/setup.sh, or set CHROMIUM_PATH.");
        }
        // Playwright's own browser download (`playwright install`) is refused here and never needed: the driver comes
        // with the NuGet package (the output's .playwright folder) and launches the system chromium.
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Chromium's sandbox refuses to run as root (containers, CI); as any other user it stays on.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
            // The browser's own background traffic goes to a proxy that is not there; each context narrows this to
            // the console's origin (NewPageAsync).
            Proxy = new() { Server = DeadProxy, Bypass = "localhost,127.0.0.1,[::1]" },
        });
        BrowserLaunch = clock.Elapsed;

        clock.Restart();
        try
        {
            App = await AppHostRun.StartAsync(Path.Combine(StateFolder, "apphost"));
        }
        catch
        {
            await DisposeBrowserAsync();
            throw;
        }
        PlatformStart = clock.Elapsed;
        // One line per start, next to TestInfrastructure's, for whoever compares start-up times across runs.
        File.AppendAllText(Path.Combine(TestInfrastructure.Root, "startup-times.log"),
            $"{DateTime.UtcNow:O} ParPlatform.Web.Tests browser {BrowserLaunch.TotalSeconds:0.0} s, platform {PlatformStart.TotalSeconds:0.0} s{Environment.NewLine}");
    }

    /// <summary>
    /// A new page in a context of its own (1366x768, vi-VN, Asia/Ho_Chi_Minh) whose requests are recorded and held to
    /// the console's origin. <paramref name="output"/>, when given, receives the page's errors when it is disposed.
    /// </summary>
    /// <summary>Runs a test and, when it fails, writes the last lines of the console's and the services' logs to
    /// its output: a browser test that waits in vain shows only the page, the reason is usually on the server.</summary>
    public async Task WithServerLogsOnFailureAsync(Xunit.Abstractions.ITestOutputHelper output, Func<Task> test, params string[] services)
    {
        try
        {
            await test();
        }
        catch
        {
            output.WriteLine("Server logs at the failure:" + Environment.NewLine
                + App.LogTails(60, ["web", "gateway", .. services]));
            throw;
        }
    }

    public async Task<ConsolePage> NewPageAsync(ITestOutputHelper? output = null, Action<BrowserNewContextOptions>? configure = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = Console.ToString(),
            ViewportSize = new() { Width = 1366, Height = 768 },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
            // Behind the page's origin guard: whatever the guard's routes do not stop (a redirect's later hops,
            // which Playwright does not route) fails at the dead proxy, loopback addresses of other programs included.
            Proxy = new() { Server = DeadProxy, Bypass = $"{Console.Host}:{Console.Port}" },
        };
        configure?.Invoke(options);
        return await ConsolePage.OpenAsync(Browser, Console, options, output);
    }

    /// <summary>
    /// Signs in as a demo account the way a person does: opens <c>/</c>, is sent to identity's login form, submits it,
    /// and returns once the browser is back on the console (past identity and the sign-in callback).
    /// </summary>
    public async Task SignInAsync(IPage page, string username, string password = DemoPassword)
    {
        await page.GotoAsync("/");
        await SubmitLoginFormAsync(page, username, password);
        try
        {
            await page.WaitForURLAsync(url => ConsolePage.IsSameOrigin(Console, url) && !IsSignInStep(new Uri(url).AbsolutePath));
        }
        catch (TimeoutException)
        {
            var alert = await page.Locator("[role=alert]").AllInnerTextsAsync();
            throw new InvalidOperationException($"Signing in as {username} did not come back to the console: still at {page.Url}" +
                (alert.Count > 0 ? $" ({string.Join(" ", alert)})" : ""));
        }
    }

    /// <summary>Fills and submits identity's login form (already open in <paramref name="page"/>, or on its way).</summary>
    public static async Task SubmitLoginFormAsync(IPage page, string username, string password = DemoPassword)
    {
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
    }

    private static bool IsSignInStep(string path) =>
        path.StartsWith("/api/identity/", StringComparison.OrdinalIgnoreCase) || path.StartsWith(CallbackPath, StringComparison.OrdinalIgnoreCase);

    public async Task DisposeAsync()
    {
        await DisposeBrowserAsync();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        try
        {
            Directory.Delete(StateFolder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    private async Task DisposeBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser = null;
        }
        _playwright?.Dispose();
        _playwright = null;
    }
}
