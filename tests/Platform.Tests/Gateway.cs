using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>Signing in through the gateway with the demo accounts the AppHost seeds (local-only credentials).</summary>
internal static class Gateway
{
    public const string DemoPassword = PlatformSignIn.DemoPassword;

    public static Task<HttpClient> SignInAsync(Uri gateway, string username, string password = DemoPassword) =>
        PlatformSignIn.PasswordAsync(gateway, username, password);

    public static Task<HttpClient> MachineClientAsync(Uri gateway, string clientId) => PlatformSignIn.MachineAsync(gateway, clientId);

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


    /// <summary>The body of an answer that must have <paramref name="expected"/>; the assertion names the call and the body.</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {expected}, got {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
