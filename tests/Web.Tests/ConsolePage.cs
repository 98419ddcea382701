using System.Collections.Concurrent;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ParPlatform.Web.Tests;

/// <summary>
/// A page in a browser context of its own, with an origin guard: every request is recorded, and a request (or web
/// socket) to anywhere but the console's origin is aborted before it leaves the browser and recorded as foreign. The
/// console must work offline and send nothing elsewhere (no CDN, no fonts or analytics from outside), so a test
/// ends with <see cref="AssertNoForeignRequests"/>. Console errors, page errors, failed requests and error answers
/// are collected for the failure messages and, when the fixture was given an output, written there on dispose.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly Uri _origin;
    private readonly ITestOutputHelper? _output;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _foreign = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private ConsolePage(IBrowserContext context, IPage page, Uri origin, ITestOutputHelper? output)
    {
        Context = context;
        Page = page;
        _origin = origin;
        _output = output;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>Every request the context made, as "METHOD url (resource type)", in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>
    /// The requests for anything not on the console's origin (data: and blob: are local), as "METHOD url (type)" or
    /// "WEBSOCKET url": aborted by the guard, or (the hops of a redirect, which Playwright does not route) failed at
    /// the context's dead proxy.
    /// </summary>
    public IReadOnlyList<string> ForeignRequests => [.. _foreign];

    /// <summary>Console errors, uncaught page errors, failed requests and answers of 400 and above.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    internal static async Task<ConsolePage> OpenAsync(IBrowser browser, Uri origin, BrowserNewContextOptions options, ITestOutputHelper? output)
    {
        var context = await browser.NewContextAsync(options);
        // Generous for a loaded two-core machine (a first Blazor render there takes seconds), short enough to fail
        // a test that waits for something that never comes well inside the run's hang timeout.
        context.SetDefaultTimeout(45_000);
        var page = await context.NewPageAsync();
        var guarded = new ConsolePage(context, page, origin, output);
        await guarded.GuardAsync();
        return guarded;
    }

    private async Task GuardAsync()
    {
        // Recorded here rather than in the route below: Playwright routes a redirect's first address only, so a
        // console address that redirects elsewhere is seen by this event alone (and stopped by the context's dead
        // proxy, see ConsoleFixture.NewPageAsync).
        Context.Request += (_, request) =>
        {
            var line = $"{request.Method} {request.Url} ({request.ResourceType})";
            _requests.Enqueue(line);
            if (!IsAllowed(request.Url))
            {
                _foreign.Enqueue(line);
            }
        };
        Context.RequestFailed += (_, request) =>
        {
            if (IsSameOrigin(_origin, request.Url))
            {
                _errors.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
            }
        };
        Context.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _errors.Enqueue($"answer {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
        // Pages the page opens (window.open, target=_blank) are guarded by the context's routes, and reported too.
        Context.Page += (_, page) => Observe(page);
        Observe(Page);
        // Only foreign addresses are routed: the console's own requests go straight through.
        await Context.RouteAsync(url => !IsAllowed(url), route => route.AbortAsync("blockedbyclient"));
        await Context.RouteWebSocketAsync(url => !IsAllowed(url), socket =>
        {
            _foreign.Enqueue($"WEBSOCKET {socket.Url}");
            // Never connected to the server: the page sees the socket close.
            _ = socket.CloseAsync(new() { Code = 1008, Reason = "foreign origin" });
        });
    }

    private void Observe(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
    }

    private bool IsAllowed(string url) =>
        url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("blob:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("about:", StringComparison.OrdinalIgnoreCase) || IsSameOrigin(_origin, url)
        // The browser's own PDF viewer (an evidence file opened in the page) loads its parts from inside chromium.
        || url.StartsWith("chrome://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("chrome-extension://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Same scheme (ws for http, wss for https), host and port as <paramref name="origin"/>.</summary>
    public static bool IsSameOrigin(Uri origin, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address))
        {
            return false;
        }
        var scheme = address.Scheme switch { "ws" => "http", "wss" => "https", var other => other };
        return scheme == origin.Scheme && string.Equals(address.Host, origin.Host, StringComparison.OrdinalIgnoreCase) && address.Port == origin.Port;
    }

    /// <summary>Fails listing every request for an address outside the console's origin.</summary>
    public void AssertNoForeignRequests()
    {
        var foreign = ForeignRequests;
        if (foreign.Count > 0)
        {
            throw new XunitException($"The page at {Page.Url} asked for {foreign.Count} address(es) outside {_origin.GetLeftPart(UriPartial.Authority)}." + Report());
        }
    }

    /// <summary>Fails listing console errors, page errors, failed requests and error answers.</summary>
    public void AssertNoErrors()
    {
        if (!_errors.IsEmpty)
        {
            throw new XunitException($"The page at {Page.Url} reported errors:" + Report());
        }
    }

    /// <summary>The errors and foreign requests so far, for a failure message or the test output.</summary>
    public string Report()
    {
        var report = new StringBuilder();
        foreach (var (title, lines) in new[] { ("errors", Errors), ("foreign requests", ForeignRequests) })
        {
            if (lines.Count > 0)
            {
                report.Append(Environment.NewLine).Append(title).Append(':');
                foreach (var line in lines)
                {
                    // A sign-in redirect's address carries a code of some kilobytes: the start says enough.
                    report.Append(Environment.NewLine).Append("  ").Append(line.Length > 300 ? line[..300] + "…" : line);
                }
            }
        }
        return report.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_output is not null && Report() is { Length: > 0 } report)
        {
            _output.WriteLine("Browser diagnostics:" + report);
        }
        await Context.CloseAsync();
    }
}
