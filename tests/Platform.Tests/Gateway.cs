using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;

namespace ParPlatform.Platform.Tests;

/// <summary>Signing in through the gateway with the demo accounts the AppHost seeds (local-only credentials).</summary>
internal static class Gateway
{
    public const string DemoPassword = "ParDemo#2026";

    public static async Task<HttpClient> SignInAsync(Uri gateway, string username, string password = DemoPassword)
    {
        var token = await TokenAsync(gateway, new() { ["grant_type"] = "password", ["username"] = username, ["password"] = password });
        return Client(gateway, token);
    }

    public static async Task<HttpClient> MachineClientAsync(Uri gateway, string clientId)
    {
        var token = await TokenAsync(gateway, new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = DemoPassword });
        return Client(gateway, token);
    }

    /// <summary>
    /// A published copy of the seeded 2025 department set for the current year: a round's year is its set's, and its
    /// windows lie within that year (and the next), so a round opened "now" needs this year's set.
    /// </summary>
    public static async Task<Guid> ThisYearsDepartmentSetAsync(HttpClient admin, string codePrefix)
    {
        var departmentSet2025 = Guid.Parse("10000000-0000-4000-8000-000000000003");
        var clone = await admin.PostAsJsonAsync($"/api/criteria/sets/{departmentSet2025}/clone",
            new { year = DateTimeOffset.UtcNow.Year, code = codePrefix + "-" + Guid.NewGuid().ToString("N")[..8] });
        Assert.True(clone.StatusCode == System.Net.HttpStatusCode.Created, await clone.Content.ReadAsStringAsync());
        var setId = (await clone.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        var publish = await admin.PostAsync($"/api/criteria/sets/{setId}/publish", null);
        Assert.True(publish.StatusCode == System.Net.HttpStatusCode.OK, await publish.Content.ReadAsStringAsync());
        return setId;
    }

    public static Metadata Bearer(HttpClient signedIn) =>
        new() { { "authorization", signedIn.DefaultRequestHeaders.Authorization!.ToString() } };

    private static HttpClient Client(Uri gateway, string token)
    {
        var client = new HttpClient { BaseAddress = gateway };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> TokenAsync(Uri gateway, Dictionary<string, string> form)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var response = await http.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    private sealed record TokenResponse([property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken);

    /// <summary>The body of an answer that must have <paramref name="expected"/>; the assertion names the call and the body.</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {expected}, got {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
