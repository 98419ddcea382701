using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ParPlatform.Contracts;
using ParPlatform.Criteria.Seed;
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
            services => services.AddSingleton<TimeProvider>(Clock)).Start();
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
