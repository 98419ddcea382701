extern alias criteria;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.Identity.Seed;
using ParPlatform.Testing;
using CriteriaProgram = criteria::Program;

namespace ParPlatform.Identity.Tests;

/// <summary>
/// The identity service on a fresh database (demo accounts seeded) and the real criteria service (demo units seeded)
/// that identity asks about units, each verifying the other's real tokens: what account administration runs on.
/// </summary>
public sealed class AccountsFixture : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public const string SoTuPhap = DemoAccounts.SoTuPhap;
    public const string SoNoiVu = "20000000-0000-4000-8000-000000000011";
    public const string PublicBaseUrl = "https://cchc.quangninh.example/";

    public ServiceHost<Program> Identity { get; private set; } = null!;
    public ServiceHost<CriteriaProgram> Criteria { get; private set; } = null!;
    public Uri CriteriaAddress { get; } = new($"http://127.0.0.1:{LoopbackPort.Free()}");

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        Identity = new ServiceHost<Program>(infrastructure, ResourceNames.IdentityDb, await infrastructure.CreateDatabaseAsync("identity"),
            new Dictionary<string, string>
            {
                ["Seed:Demo"] = "true",
                ["services:criteria:http:0"] = CriteriaAddress.ToString(),
                ["Identity:PublicBaseUrl"] = PublicBaseUrl,
            });
        Criteria = new ServiceHost<CriteriaProgram>(infrastructure, ResourceNames.CriteriaDb, await infrastructure.CreateDatabaseAsync("criteria"),
            new Dictionary<string, string>
            {
                ["Seed:Demo"] = "true",
                ["Kestrel:Endpoints:http:Url"] = CriteriaAddress.ToString(),
                ["services:identity:http:0"] = Identity.HttpAddress.ToString(),
            });
        Identity.Start();
        Criteria.Start();
    }

    public HttpClient Anonymous() => Identity.CreateRestClient();

    /// <summary>A client of the identity service signed in as <paramref name="userName"/> (a real token from its token endpoint).</summary>
    public async Task<HttpClient> SignedInAsync(string userName, string password = DemoAccounts.Password)
    {
        var http = Identity.CreateRestClient();
        var token = await IdentityPlatformFixture.TokenAsync(http, IdentityPlatformFixture.PasswordGrant(userName, password));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<NpgsqlConnection> SuperuserAsync()
    {
        var connection = new NpgsqlConnection(Identity.SuperuserConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Creates an account as <paramref name="admin"/> and returns its id and one-time password.</summary>
    public static async Task<(Guid Id, string OneTimePassword)> CreateAsync(HttpClient admin, object body)
    {
        using var response = await admin.PostAsJsonAsync("/api/identity/accounts", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {json}");
        return (json.GetProperty("account").GetProperty("id").GetGuid(), json.GetProperty("oneTimePassword").GetString()!);
    }

    /// <summary>Changes a one-time password to a chosen one, as the user does before its first sign-in.</summary>
    public async Task ChangePasswordAsync(string userName, string current, string chosen)
    {
        using var response = await Anonymous().PostAsJsonAsync("/api/identity/connect/password",
            new { userName, currentPassword = current, newPassword = chosen });
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<int> AuditCountAsync(string auditEvent, string? subject = null, string? target = null)
    {
        await using var connection = await SuperuserAsync();
        return await connection.QuerySingleAsync<int>(
            """
            SELECT count(*)::int FROM access_audit
            WHERE event = @auditEvent AND (@subject::text IS NULL OR subject = @subject) AND (@target::text IS NULL OR target = @target)
            """, new { auditEvent, subject, target });
    }

    public async Task DisposeAsync()
    {
        await Criteria.DisposeAsync();
        await Identity.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AccountsCollection : ICollectionFixture<AccountsFixture>
{
    public const string Name = "accounts";
}
