using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using ParPlatform.Contracts;
using ParPlatform.Identity.Keys;
using ParPlatform.Identity.Seed;
using ParPlatform.Testing;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>Key rotation on its own identity service and database, with a fake clock moved across key lifetimes.</summary>
public sealed class SigningKeyRotationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ServiceHost<Program> _identity = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        var database = await infrastructure.CreateDatabaseAsync("identity_keys");
        _identity = new ServiceHost<Program>(infrastructure, ResourceNames.IdentityDb, database,
            new Dictionary<string, string> { ["Seed:Demo"] = "true" },
            services => services.AddSingleton<TimeProvider>(_clock)).Start();
        _http = _identity.CreateRestClient();
    }

    [Fact]
    public async Task A_new_key_is_published_before_it_signs_and_the_previous_one_stays_published_after()
    {
        var first = await SigningKeyAsync();
        Assert.Equal([first], await PublishedAsync());

        // Near the end of the first key's 30 days its successor is published, but the first one still signs.
        await AdvanceAndRotateAsync(TimeSpan.FromDays(30) - TimeSpan.FromHours(1));
        var published = await PublishedAsync();
        Assert.Equal(2, published.Count);
        Assert.Equal(first, await SigningKeyAsync());
        var second = published.Single(key => key != first);

        // Once the publication lead has passed the successor signs; the first stays published for its tokens.
        await AdvanceAndRotateAsync(TimeSpan.FromHours(2));
        Assert.Equal(second, await SigningKeyAsync());
        Assert.Equal(new[] { first, second }.Order(), (await PublishedAsync()).Order());

        // One more rotation later, the first key is gone.
        await AdvanceAndRotateAsync(TimeSpan.FromDays(30));
        await AdvanceAndRotateAsync(TimeSpan.FromHours(2));
        var third = await SigningKeyAsync();
        Assert.DoesNotContain(first, await PublishedAsync());
        Assert.Equal(new[] { second, third }.Order(), (await PublishedAsync()).Order());
    }

    private async Task AdvanceAndRotateAsync(TimeSpan by)
    {
        _clock.Advance(by);
        await _identity.Services.GetServices<IHostedService>().OfType<SigningKeyRotator>().Single().RotateAsync(CancellationToken.None);
    }

    private async Task<string> SigningKeyAsync() =>
        new JsonWebToken(await TokenAsync(_http, PasswordGrant("qn.xem", DemoAccounts.Password))).Kid;

    private async Task<List<string>> PublishedAsync()
    {
        var jwks = await _http.GetFromJsonAsync<JsonElement>("/api/identity/.well-known/jwks");
        return jwks.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!).ToList();
    }

    public async Task DisposeAsync() => await _identity.DisposeAsync();
}
