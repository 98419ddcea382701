using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ParPlatform.Testing;

/// <summary>An API client signed in through the gateway's token endpoint, as a script or a ministry system signs in:
/// the password grant for officials, client credentials for machines. One way for every test and benchmark.</summary>
public static class PlatformSignIn
{
    /// <summary>The demo accounts' and clients' one password (services/Identity/Seed/DemoAccounts.cs; local only).</summary>
    public const string DemoPassword = "ParDemo#2026";

    public static async Task<HttpClient> PasswordAsync(Uri gateway, string username, string password = DemoPassword) =>
        Client(gateway, await TokenAsync(gateway, new() { ["grant_type"] = "password", ["username"] = username, ["password"] = password }));

    public static async Task<HttpClient> MachineAsync(Uri gateway, string clientId, string secret = DemoPassword) =>
        Client(gateway, await TokenAsync(gateway, new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret }));

    private static HttpClient Client(Uri gateway, string token)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> TokenAsync(Uri gateway, Dictionary<string, string> form)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        using var response = await http.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(form));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {form.GetValueOrDefault("username") ?? form.GetValueOrDefault("client_id")} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    private sealed record TokenResponse([property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken);
}
