using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ParPlatform.Identity.Seed;

namespace ParPlatform.Identity.Tests;

/// <summary>Browser sign-in: authorization code with PKCE through the login form, rotating refresh tokens, revocation, sign-out, discovery.</summary>
[Collection(AccountsCollection.Name)]
public sealed partial class BrowserSignInTests(AccountsFixture platform)
{
    private const string Client = "par-web";
    private const string Callback = "http://127.0.0.1:8080/signin-callback";
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.Identity.HttpAddress };

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string AuthorizeQuery(string challenge, string redirect = Callback) =>
        $"/api/identity/connect/authorize?client_id={Client}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code" +
        $"&scope={Uri.EscapeDataString("openid offline_access")}&state=st-42&code_challenge={challenge}&code_challenge_method=S256";

    /// <summary>The login page, then its form posted back with the credentials: the code from the redirect.</summary>
    private async Task<string> CodeAsync(string challenge, string userName, string password)
    {
        var page = await _http.GetStringAsync(AuthorizeQuery(challenge));
        var fields = HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = userName;
        fields["password"] = password;
        using var response = await _http.PostAsync("/api/identity/connect/authorize", new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!;
        Assert.StartsWith(Callback, location.ToString());
        Assert.Contains("state=st-42", location.Query);
        return Regex.Match(location.Query, "code=([^&]+)").Groups[1].Value;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(params (string, string)[] form)
    {
        using var response = await IdentityPlatformFixture.RequestTokenAsync(_http, form);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string verifier) =>
        TokenAsync(("grant_type", "authorization_code"), ("code", Uri.UnescapeDataString(code)), ("redirect_uri", Callback),
            ("client_id", Client), ("code_verifier", verifier));

    private Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken) =>
        TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", Client));

    [Fact]
    public async Task Code_flow_with_pkce_issues_short_tokens_with_the_name_and_refresh_tokens_rotate_once_each()
    {
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(challenge, "qn.xem", DemoAccounts.Password);

        var (wrongVerifier, _) = await RedeemAsync(code, Pkce().Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier);
        var code2 = await CodeAsync(challenge, "qn.xem", DemoAccounts.Password);
        var (status, tokens) = await RedeemAsync(code2, verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("Người xem Quảng Ninh", access.GetClaim("name").Value);
        Assert.Equal("viewer", access.GetClaim("role").Value);
        Assert.InRange(access.ValidTo - access.IssuedAt, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(70));
        Assert.Equal("Người xem Quảng Ninh", new JsonWebToken(tokens.GetProperty("id_token").GetString()).GetClaim("name").Value);
        var first = tokens.GetProperty("refresh_token").GetString()!;

        var (rotated, next) = await RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, rotated);
        var second = next.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        // The first one again: a replay. Refused, and the whole sign-in's family with it.
        var (replayed, _) = await RefreshAsync(first);
        Assert.Equal(HttpStatusCode.BadRequest, replayed);
        var (afterReplay, _) = await RefreshAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, afterReplay);
        Assert.True(await platform.AuditCountAsync("grant-refused", "qn.xem") >= 2);
    }

    [Fact]
    public async Task Revocation_sign_out_and_disabling_end_refreshes()
    {
        var (verifier, challenge) = Pkce();
        var (_, revoked) = await RedeemAsync(await CodeAsync(challenge, "qn.dieutra", DemoAccounts.Password), verifier);
        using (var revoke = await _http.PostAsync("/api/identity/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = revoked.GetProperty("refresh_token").GetString()!, ["token_type_hint"] = "refresh_token", ["client_id"] = Client,
        })))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAsync(revoked.GetProperty("refresh_token").GetString()!)).Status);

        var (_, signedIn) = await RedeemAsync(await CodeAsync(challenge, "qn.dieutra", DemoAccounts.Password), verifier);
        using (var logout = await _http.GetAsync("/api/identity/connect/logout?id_token_hint=" + signedIn.GetProperty("id_token").GetString() +
            "&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:8080/")))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Equal("http://127.0.0.1:8080/", logout.Headers.Location!.ToString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAsync(signedIn.GetProperty("refresh_token").GetString()!)).Status);
        Assert.Equal(1, await platform.AuditCountAsync("signed-out", "qn.dieutra"));

        // A disabled account's refresh is refused: with one-minute access tokens, it is out within a minute.
        using var admin = await platform.SignedInAsync("qn.quantri");
        var (id, oneTime) = await AccountsFixture.CreateAsync(admin, new { userName = "qn.browser.off", displayName = "Tắt Máy", role = "viewer" });
        await platform.ChangePasswordAsync("qn.browser.off", oneTime, "Núi Bài Thơ 2026");
        var (_, session) = await RedeemAsync(await CodeAsync(challenge, "qn.browser.off", "Núi Bài Thơ 2026"), verifier);
        (await admin.PostAsync($"/api/identity/accounts/{id}/disable", null)).EnsureSuccessStatusCode();
        var (refused, body) = await RefreshAsync(session.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_login_form_refuses_wrong_passwords_and_unregistered_redirects_and_makes_one_time_passwords_change()
    {
        var (_, challenge) = Pkce();
        var page = await _http.GetStringAsync(AuthorizeQuery(challenge));
        Assert.Contains("<form method=\"post\" action=\"authorize\">", page);
        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain("http", Regex.Replace(page, "value=\"[^\"]*\"", ""), StringComparison.OrdinalIgnoreCase);

        var fields = HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = "qn.xem";
        fields["password"] = "sai mật khẩu";
        using (var wrong = await _http.PostAsync("/api/identity/connect/authorize", new FormUrlEncodedContent(fields)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("Sai tên đăng nhập", await wrong.Content.ReadAsStringAsync());
        }
        using (var elsewhere = await _http.GetAsync(AuthorizeQuery(challenge, "https://attacker.example/cb")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
            Assert.Null(elsewhere.Headers.Location);
        }

        using var admin = await platform.SignedInAsync("qn.quantri");
        var (_, oneTime) = await AccountsFixture.CreateAsync(admin, new { userName = "qn.browser.new", displayName = "Mới Vào", role = "viewer" });
        fields["username"] = "qn.browser.new";
        fields["password"] = oneTime;
        using (var mustChange = await _http.PostAsync("/api/identity/connect/authorize", new FormUrlEncodedContent(fields)))
        {
            Assert.Contains("new_password", await mustChange.Content.ReadAsStringAsync());
        }
        fields["new_password"] = "Hòn Gai than đá 2026";
        using var changed = await _http.PostAsync("/api/identity/connect/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
    }

    [Fact]
    public async Task Discovery_through_the_gateway_advertises_the_public_base_url_and_inside_the_internal_one()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/.well-known/openid-configuration");
        request.Headers.Add("X-Forwarded-For", "198.51.100.4");
        var outside = await (await _http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        foreach (var name in new[] { "token_endpoint", "authorization_endpoint", "jwks_uri", "end_session_endpoint", "revocation_endpoint" })
        {
            Assert.StartsWith(AccountsFixture.PublicBaseUrl + "api/identity/", outside.GetProperty(name).GetString());
        }
        Assert.Contains("S256", outside.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        var inside = await _http.GetFromJsonAsync<JsonElement>("/api/identity/.well-known/openid-configuration");
        Assert.StartsWith(platform.Identity.HttpAddress.ToString(), inside.GetProperty("jwks_uri").GetString());
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
