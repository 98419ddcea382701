using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ParPlatform.Web.Tests;

/// <summary>
/// The browser-test machinery itself, before any console page exists: the origin guard catches what it must, the
/// login form can be driven, and the accessibility scan fails on a known violation and passes a clean page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BrowserInfrastructureTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_origin_guard_lets_the_platform_through_and_aborts_and_records_everything_else()
    {
        output.WriteLine($"chromium launch {fixture.BrowserLaunch.TotalSeconds:0.0} s, platform start {fixture.PlatformStart.TotalSeconds:0.0} s");
        var clock = Stopwatch.StartNew();
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;

        var discovery = await page.GotoAsync("/api/identity/.well-known/openid-configuration");
        Assert.Equal(200, discovery!.Status);
        // Identity advertises its endpoints at the gateway, the origin the console signs in through.
        var authorize = (await discovery.JsonAsync())!.Value.GetProperty("authorization_endpoint").GetString();
        Assert.Equal(new Uri(fixture.Console, "/api/identity/connect/authorize"), new Uri(authorize!));
        Assert.Equal(200, await page.EvaluateAsync<int>("fetch('/health').then(r => r.status)"));
        browser.AssertNoForeignRequests();

        // A script, an image and a web socket from elsewhere: each aborted before it leaves the browser.
        Assert.Equal("blocked", await page.EvaluateAsync<string>("fetch('http://example.invalid/x').then(() => 'answered', () => 'blocked')"));
        await page.EvaluateAsync("""
            () => new Promise(done => {
              const image = new Image(); image.onerror = image.onload = done; image.src = 'https://cdn.example.invalid/logo.png';
            })
            """);
        await page.EvaluateAsync("""
            () => new Promise(done => {
              const socket = new WebSocket('wss://example.invalid/live'); socket.onclose = socket.onerror = done;
            })
            """);
        Assert.Contains(browser.ForeignRequests, request => request.StartsWith("GET http://example.invalid/x"));
        Assert.Contains(browser.ForeignRequests, request => request.Contains("https://cdn.example.invalid/logo.png"));
        Assert.Contains(browser.ForeignRequests, request => request == "WEBSOCKET wss://example.invalid/live");
        Assert.Contains(browser.Requests, request => request.StartsWith($"GET {fixture.Console.GetLeftPart(UriPartial.Authority)}/health"));
        var failure = Assert.Throws<XunitException>(browser.AssertNoForeignRequests);
        Assert.Contains("http://example.invalid/x", failure.Message);

        // Without the guard's routes, the context's dead proxy still stops a request for elsewhere, on this machine
        // (another program's port) or off it.
        await browser.Context.UnrouteAllAsync();
        foreach (var elsewhere in new[] { "http://192.0.2.1/", "http://127.0.0.1:8080/" })
        {
            var escaped = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(elsewhere));
            Assert.Contains("ERR_PROXY_CONNECTION_FAILED", escaped.Message);
        }
        output.WriteLine($"guard test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task The_login_form_is_accessible_and_a_redirect_to_an_unregistered_origin_is_caught()
    {
        var clock = Stopwatch.StartNew();
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        // Until the console is served, the sign-in starts from identity's authorization endpoint with one of the
        // registered callbacks of ./run.sh's console (port 8080): not this platform's origin, so the guard stops it.
        const string callback = "http://127.0.0.1:8080/signin-callback";
        await page.GotoAsync("/api/identity/connect/authorize?client_id=par-web&response_type=code&scope=openid&state=s1"
            + $"&redirect_uri={Uri.EscapeDataString(callback)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");

        await Accessibility.AssertNoSeriousViolationsAsync(page, "identity login form");
        await Screenshots.SaveAsync(page, "identity-login");
        try
        {
            await page.RunAndWaitForRequestAsync(() => ConsoleFixture.SubmitLoginFormAsync(page, "qn.tuphap.canbo"),
                request => request.Url.StartsWith(callback + "?"));
        }
        catch (TimeoutException)
        {
            throw new XunitException($"No redirect to {callback} after the form was submitted; requests:{Environment.NewLine}"
                + string.Join(Environment.NewLine, browser.Requests.Select(request => request.Length > 300 ? request[..300] : request)) + browser.Report());
        }
        // A redirect's later hop, which Playwright does not route: recorded as foreign all the same, and it never
        // reached the port (./run.sh's platform may well be listening there) because of the context's dead proxy.
        Assert.Contains("code=", browser.ForeignRequests.Single(request => request.Contains(callback)));
        Assert.DoesNotContain(browser.Requests, request => request.StartsWith("GET http://127.0.0.1:8080/ "));
        output.WriteLine($"login form test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task The_accessibility_scan_fails_on_an_image_without_alt_text_and_an_unlabelled_input()
    {
        var clock = Stopwatch.StartNew();
        await using var browser = await fixture.NewPageAsync(output);
        await browser.Page.SetContentAsync(Document("""<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text" id="so-lieu">"""));

        var failure = await Assert.ThrowsAsync<XunitException>(() => Accessibility.AssertNoSeriousViolationsAsync(browser.Page, "broken page"));
        Assert.Contains("image-alt (critical)", failure.Message);
        Assert.Contains("label (critical)", failure.Message);
        Assert.Contains("at #so-lieu", failure.Message);
        output.WriteLine(failure.Message);
        output.WriteLine($"failing scan {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task The_accessibility_scan_passes_a_clean_page()
    {
        var clock = Stopwatch.StartNew();
        await using var browser = await fixture.NewPageAsync(output);
        await browser.Page.SetContentAsync(Document("""
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Biểu trưng">
            <label for="so-lieu">Số liệu</label><input type="text" id="so-lieu" value="79,88">
            """));

        var result = await Accessibility.AssertNoSeriousViolationsAsync(browser.Page, "clean page");
        Assert.DoesNotContain(result.Violations, violation => violation.Impact is "serious" or "critical");
        browser.AssertNoForeignRequests();
        browser.AssertNoErrors();
        output.WriteLine($"clean scan {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static string Document(string body) =>
        $"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang thử</title></head><body><main><h1>Trang thử</h1>{body}</main></body></html>""";
}
