extern alias gateway;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;
using ParPlatform.Testing;
using GatewayProgram = gateway::Program;

namespace ParPlatform.Identity.Tests;

/// <summary>
/// The identity service on a fresh database (demo accounts seeded), a stand-in "criteria" service that echoes what
/// it receives, and three gateways in front of them: one that limits no test (every client 1000 per window), one
/// with the quotas as shipped in gateway/appsettings.json, one with tiny quotas set by configuration. Their windows
/// are ten minutes, so a test's count never restarts halfway. The gateways find the identity service the way they
/// do under the AppHost: through <c>services__identity__http__0</c>.
/// </summary>
public sealed class IdentityPlatformFixture : IAsyncLifetime
{
    public const int TightRateLimit = 3;
    /// <summary>The tight gateway's survey-partner quota, overriding the shipped one by configuration.</summary>
    public const int TightPartnerQuota = 5;
    /// <summary>The tight gateway's quota of the ministry-reporting client (its role has none).</summary>
    public const int TightClientQuota = 4;

    public ServiceHost<Program> Identity { get; private set; } = null!;
    public ServiceHost<GatewayProgram> Gateway { get; private set; } = null!;
    public ServiceHost<GatewayProgram> ShippedGateway { get; private set; } = null!;
    public ServiceHost<GatewayProgram> TightGateway { get; private set; } = null!;
    public WebApplication Echo { get; private set; } = null!;
    public Uri EchoAddress { get; } = new($"http://127.0.0.1:{LoopbackPort.Free()}");

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        var database = await infrastructure.CreateDatabaseAsync("identity");
        Identity = new ServiceHost<Program>(infrastructure, ResourceNames.IdentityDb, database,
            new Dictionary<string, string> { ["Seed:Demo"] = "true" }).Start();

        Echo = EchoService.Create(EchoAddress);
        await Echo.StartAsync();

        Gateway = StartGateway(infrastructure, new() { ["Gateway:RateLimit:EveryClient"] = "1000" });
        ShippedGateway = StartGateway(infrastructure, []);
        TightGateway = StartGateway(infrastructure, new()
        {
            ["Gateway:RateLimit:PermitLimit"] = $"{TightRateLimit}",
            ["Gateway:RateLimit:Quotas:Roles:survey-partner"] = $"{TightPartnerQuota}",
            ["Gateway:RateLimit:Quotas:Clients:ministry-reporting"] = $"{TightClientQuota}",
        });
    }

    private ServiceHost<GatewayProgram> StartGateway(TestInfrastructure infrastructure, Dictionary<string, string> rateLimit) =>
        new ServiceHost<GatewayProgram>(infrastructure, "none", "", new Dictionary<string, string>(rateLimit)
        {
            ["services:identity:http:0"] = Identity.HttpAddress.ToString(),
            ["services:criteria:http:0"] = EchoAddress.ToString(),
            ["services:evidence-storage:http:0"] = EchoAddress.ToString(),
            ["Gateway:RateLimit:Window"] = "00:10:00",
        }).Start();

    public static async Task<string> TokenAsync(HttpClient http, params (string Name, string Value)[] form)
    {
        using var response = await RequestTokenAsync(http, form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return body.GetProperty("access_token").GetString()!;
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, params (string Name, string Value)[] form) =>
        http.PostAsync("/api/identity/connect/token",
            new FormUrlEncodedContent(form.Select(field => KeyValuePair.Create(field.Name, field.Value))));

    public static Task<HttpResponseMessage> GetWithTokenAsync(HttpClient client, string token, string path = "/api/criteria/sets")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    public static (string, string)[] PasswordGrant(string username, string password) =>
        [("grant_type", "password"), ("username", username), ("password", password)];

    public static (string, string)[] ClientGrant(string clientId, string secret) =>
        [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret)];

    public async Task DisposeAsync()
    {
        await TightGateway.DisposeAsync();
        await ShippedGateway.DisposeAsync();
        await Gateway.DisposeAsync();
        await Echo.DisposeAsync();
        await Identity.DisposeAsync();
    }
}

/// <summary>A stand-in service that answers with the headers and body size it received.</summary>
internal static class EchoService
{
    public static WebApplication Create(Uri address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the appsettings.json the referenced services leave in the test folder (their Kestrel ports).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = address.ToString() });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.Map("/{**path}", async (HttpContext context) =>
        {
            var length = 0L;
            var buffer = new byte[81920];
            for (int read; (read = await context.Request.Body.ReadAsync(buffer)) > 0;)
            {
                length += read;
            }
            return Results.Json(new EchoReply(
                context.Request.Path,
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                length));
        });
        return app;
    }
}

public sealed record EchoReply(string Path, Dictionary<string, string> Headers, long BodyLength);

public sealed record ProblemDto(string Type, int Status);

[CollectionDefinition(Name)]
public sealed class IdentityPlatformCollection : ICollectionFixture<IdentityPlatformFixture>
{
    public const string Name = "identity platform";
}
