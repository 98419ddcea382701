using System.Net;
using System.Text.RegularExpressions;

namespace ParPlatform.Testing;

/// <summary>
/// The web console as a browser without script sees it: an HttpClient with a cookie jar that signs in through the
/// identity service's form (authorization code + PKCE, driven by the console) and then reads server-rendered pages.
/// For checks over many routes where a real browser would only be slower (the security suite).
/// </summary>
public static partial class ConsoleClient
{
    /// <param name="newPassword">For an account with a one-time password: the password to choose when asked.</param>
    public static async Task<HttpClient> SignInAsync(Uri console, string username, string password, string? newPassword = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = console, Timeout = TimeSpan.FromSeconds(60),
        };
        // The console sends an anonymous visitor to the identity service's sign-in form (through the gateway).
        using var form = await client.GetAsync("/");
        var page = await form.Content.ReadAsStringAsync();
        var action = form.RequestMessage!.RequestUri!;
        if (!action.AbsolutePath.EndsWith("/connect/authorize", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Expected the sign-in form, got {action} ({(int)form.StatusCode}).");
        }
        var fields = HiddenField().Matches(page).ToDictionary(match => WebUtility.HtmlDecode(match.Groups[1].Value), match => WebUtility.HtmlDecode(match.Groups[2].Value));
        fields["username"] = username;
        fields["password"] = password;
        var signedIn = await client.PostAsync(new Uri(action.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(fields));
        if (newPassword is not null && (await signedIn.Content.ReadAsStringAsync()).Contains("name=\"new_password\"", StringComparison.Ordinal))
        {
            fields["new_password"] = newPassword;
            signedIn.Dispose();
            signedIn = await client.PostAsync(new Uri(action.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(fields));
        }
        using var _ = signedIn;
        if (signedIn.RequestMessage!.RequestUri!.AbsolutePath.Contains("/api/identity/", StringComparison.Ordinal) || !signedIn.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {username} failed: {(int)signedIn.StatusCode} at {signedIn.RequestMessage.RequestUri}");
        }
        return client;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
