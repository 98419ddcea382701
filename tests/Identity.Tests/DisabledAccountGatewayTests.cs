using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ParPlatform.Identity.Seed;
using ParPlatform.Testing;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>A disabled account's unexpired token stops working at the gateway within a minute (and works again once re-enabled).</summary>
[Collection(IdentityPlatformCollection.Name)]
public sealed class DisabledAccountGatewayTests(IdentityPlatformFixture platform)
{
    [Fact]
    public async Task The_gateway_refuses_a_disabled_accounts_token_within_a_minute()
    {
        using var identity = platform.Identity.CreateRestClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(identity, PasswordGrant("qn.quantri", DemoAccounts.Password)));
        using var created = await identity.PostAsJsonAsync("/api/identity/accounts", new { userName = "qn.gateway.off", displayName = "Sắp Nghỉ", role = "viewer" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.IsSuccessStatusCode, body.ToString());
        var id = body.GetProperty("account").GetProperty("id").GetGuid();
        using (var change = await identity.PostAsJsonAsync("/api/identity/connect/password",
            new { userName = "qn.gateway.off", currentPassword = body.GetProperty("oneTimePassword").GetString(), newPassword = "Yên Tử mây trắng 2026" }))
        {
            change.EnsureSuccessStatusCode();
        }
        var token = await TokenAsync(identity, PasswordGrant("qn.gateway.off", "Yên Tử mây trắng 2026"));
        using var gateway = platform.Gateway.CreateRestClient();
        Assert.Equal(HttpStatusCode.OK, (await GetWithTokenAsync(gateway, token)).StatusCode);

        (await identity.PostAsync($"/api/identity/accounts/{id}/disable", null)).EnsureSuccessStatusCode();
        var started = DateTime.UtcNow;
        await Eventually.TrueAsync(async () => (await GetWithTokenAsync(gateway, token)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(60), "the gateway to refuse the disabled account's token");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1));

        (await identity.PostAsync($"/api/identity/accounts/{id}/enable", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await GetWithTokenAsync(gateway, token)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the gateway to accept the re-enabled account's token");
    }
}
