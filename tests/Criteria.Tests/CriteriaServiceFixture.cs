using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ParPlatform.Contracts;
using ParPlatform.Criteria.Seed;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;

namespace ParPlatform.Criteria.Tests;

/// <summary>
/// One criteria service for the service tests: real Kestrel sockets, a fresh database on the assembly's throwaway
/// PostgreSQL, the real RabbitMQ, the demo seed applied, and a fake clock.
/// </summary>
public sealed class CriteriaServiceFixture : IAsyncLifetime
{
    public static readonly TestCaller ProvinceAdmin = new("admin-qn", PlatformRoles.ProvincialAdmin, SeedIds.ProvinceTenant);
    public static readonly TestCaller ProvinceViewer = new("viewer-qn", PlatformRoles.Viewer, SeedIds.ProvinceTenant);
    public static readonly TestCaller OtherProvinceAdmin = new("admin-hn", PlatformRoles.ProvincialAdmin, "ha-noi");
    public static readonly TestCaller NationalAdmin = new("admin-bnv", PlatformRoles.NationalAdmin, SeedIds.NationalTenant);
    public static readonly TestCaller MinistryClient = new("ministry-system", PlatformRoles.MinistryClient, SeedIds.NationalTenant);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 6, 2, 0, 0, TimeSpan.Zero));
    public ServiceHost<Program> Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        var database = await infrastructure.CreateDatabaseAsync("criteria");
        Host = new ServiceHost<Program>(
            infrastructure, ResourceNames.CriteriaDb, database,
            new Dictionary<string, string> { ["Seed:Demo"] = "true" },
            services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                // Bearer tokens of a test issuer (instead of the identity service), for what only a real token carries: its name claim.
                services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
                {
                    var configuration = new OpenIdConnectConfiguration { Issuer = TestIssuer };
                    configuration.SigningKeys.Add(TestSigningKey);
                    options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
                });
            }).Start();
    }

    private const string TestIssuer = "https://issuer.test/";
    private static readonly SymmetricSecurityKey TestSigningKey = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>A client calling with a signed access token of the test issuer (sub, name, role, par:tenant).</summary>
    public HttpClient BearerClient(TestCaller caller, string name)
    {
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestIssuer,
            Audience = "par-api",
            Expires = DateTime.UtcNow.AddMinutes(15),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = caller.UserId, ["name"] = name, ["role"] = caller.Role, ["par:tenant"] = caller.TenantId,
            },
            SigningCredentials = new SigningCredentials(TestSigningKey, SecurityAlgorithms.HmacSha256),
        });
        var client = new HttpClient { BaseAddress = Host.HttpAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Client(TestCaller caller) => caller.Client(Host.HttpAddress);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class CriteriaServiceCollection : ICollectionFixture<CriteriaServiceFixture>
{
    public const string Name = "criteria service";
}

public static class HttpExtensions
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, CriteriaServiceFixture.Json)!;
    }

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        return JsonDocument.Parse(body).RootElement;
    }

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body) =>
        client.PostAsJsonAsync(path, body, CriteriaServiceFixture.Json);
}
