using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ParPlatform.Testing;

namespace ParPlatform.Security.Tests;

/// <summary>
/// The whole platform (the real AppHost's app model through Aspire.Hosting.Testing, gateway rate limit lifted) started once, with real data of tenant
/// quang-ninh to aim at: the seeded sets, units and rounds, plus a round of this run with an assessment of Sở Tư pháp,
/// one evidence file, a published questionnaire, one survey response, a published ranking and a draft set.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string Password = "ParDemo#2026";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string StateFolder { get; } = TestInfrastructure.NewRunFolder();
    public AppHostRun App { get; private set; } = null!;
    public Tokens Tokens { get; private set; } = null!;
    public Targets Targets { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TestInfrastructure.RemoveStaleRuns();
        App = await AppHostRun.StartAsync(Path.Combine(StateFolder, "apphost"), false, "--gateway-rate-limit", "1000000");
        Tokens = await Tokens.CreateAsync(App);
        Targets = await Targets.CreateAsync(this);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = App.GatewayHttp, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        try
        {
            Directory.Delete(StateFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>
{
    public const string Name = "security";
}
