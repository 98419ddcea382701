using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>
/// Signing in and out of the console as an official does, and what the browser is given: a home page of the role's
/// work, an HttpOnly SameSite session cookie (no token anywhere in the page), a Content-Security-Policy that allows
/// nothing from elsewhere, a sign-out that ends the server-side session, Vietnamese first with English switchable.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_officer_signs_in_sees_the_open_round_of_the_unit_and_the_browser_holds_no_token()
    {
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.tuphap.canbo");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Việc cần làm");
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Cán bộ Sở Tư pháp");
        // The demo's round of this year is open for Sở Tư pháp: its scorecard is one click away.
        var rounds = page.GetByTestId("rounds");
        await Assertions.Expect(rounds).ToContainTextAsync($"năm {DateTime.UtcNow.Year}");
        await Assertions.Expect(rounds.GetByRole(AriaRole.Link, new() { Name = "Mở bảng tự chấm" }).First).ToBeVisibleAsync();

        var cookies = await browser.Context.CookiesAsync();
        var session = Assert.Single(cookies, cookie => cookie.Name.StartsWith("par_console", StringComparison.Ordinal));
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        // Backend-for-frontend: no bearer token in cookies, storage or the page.
        var html = await page.ContentAsync();
        var storage = await page.EvaluateAsync<string>("JSON.stringify(Object.assign({}, localStorage, sessionStorage))");
        foreach (var text in cookies.Select(cookie => cookie.Value).Append(html).Append(storage))
        {
            Assert.DoesNotContain("eyJ", text); // a JWT's header, base64url of '{"'
        }

        var response = await page.GotoAsync("/");
        var policy = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("http", policy);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "home-officer");
        await Screenshots.SaveAsync(page, "home-officer");
        browser.AssertNoForeignRequests();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_opens_nothing()
    {
        await using var browser = await fixture.NewPageAsync(output);
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.thamdinh");
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Thẩm định viên Quảng Ninh");
        var copied = await browser.Context.CookiesAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        // Back at the start: the console asks who you are.
        await Assertions.Expect(page.Locator("#username")).ToBeVisibleAsync();

        // Someone who kept the cookie gets the sign-in form too: the session it named is gone.
        await using var thief = await fixture.NewPageAsync(output);
        await thief.Context.AddCookiesAsync(copied.Select(cookie => new Cookie
        {
            Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path, HttpOnly = cookie.HttpOnly,
            Secure = cookie.Secure, SameSite = cookie.SameSite, Expires = cookie.Expires,
        }));
        await thief.Page.GotoAsync("/");
        await Assertions.Expect(thief.Page.Locator("#username")).ToBeVisibleAsync();
        Assert.Contains("/api/identity/connect/authorize", thief.Page.Url);
        browser.AssertNoForeignRequests();
    }

    [Fact]
    public async Task The_console_speaks_Vietnamese_first_and_English_when_asked()
    {
        await using var browser = await fixture.NewPageAsync(output, options => options.Locale = "en-US");
        var page = browser.Page;
        await fixture.SignInAsync(page, "qn.tuphap.lanhdao");
        // An English browser still gets Vietnamese: only the user's own choice switches.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Việc cần làm");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("What is waiting for me");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Tiếng Việt" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Việc cần làm");
        browser.AssertNoForeignRequests();
    }
}
