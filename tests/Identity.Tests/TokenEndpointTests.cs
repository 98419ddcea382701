using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using ParPlatform.Identity.Seed;
using ParPlatform.ServiceDefaults.Identity;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>The token endpoint, called directly on the identity service, on a real PostgreSQL.</summary>
[Collection(IdentityPlatformCollection.Name)]
public sealed class TokenEndpointTests(IdentityPlatformFixture platform)
{
    private readonly HttpClient _http = platform.Identity.CreateRestClient();

    [Fact]
    public async Task Password_grant_issues_a_signed_jwt_with_role_tenant_and_unit()
    {
        var token = await TokenAsync(_http, PasswordGrant("qn.tuphap.canbo", DemoAccounts.Password));

        var result = await ValidateAgainstJwksAsync(token);
        Assert.True(result.IsValid, result.Exception?.Message);
        var claims = result.Claims;
        Assert.True(Guid.TryParse((string)claims[PlatformClaims.Subject], out _), "sub is the user's id");
        Assert.Equal(PlatformRoles.UnitOfficer, claims[PlatformClaims.Role]);
        Assert.Equal(DemoAccounts.ProvinceTenant, claims[PlatformClaims.Tenant]);
        Assert.Equal(DemoAccounts.SoTuPhap, claims[PlatformClaims.Unit]);

        var jwt = new JsonWebToken(token);
        Assert.Equal("http://identity/api/identity/", jwt.Issuer);
        Assert.Contains("par-api", jwt.Audiences);
        Assert.Equal(await SigningKeyIdAsync(), jwt.Kid);
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(16));
        Assert.Equal(1, await AuditCountAsync("sign-in", "qn.tuphap.canbo", reason: null));
    }

    [Fact]
    public async Task Client_credentials_grant_issues_a_token_for_the_machine_client()
    {
        var token = await TokenAsync(_http, ClientGrant("ministry-reporting", DemoAccounts.Password));

        var result = await ValidateAgainstJwksAsync(token);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("ministry-reporting", result.Claims[PlatformClaims.Subject]);
        Assert.Equal(PlatformRoles.MinistryClient, result.Claims[PlatformClaims.Role]);
        Assert.Equal(PlatformClaims.NationalTenant, result.Claims[PlatformClaims.Tenant]);
        Assert.False(result.Claims.ContainsKey(PlatformClaims.Unit));
        Assert.True(await AuditCountAsync("token-granted", "ministry-reporting", reason: null) >= 1);
    }

    [Fact]
    public async Task Wrong_password_is_refused_without_saying_why_and_audited_with_the_reason()
    {
        using var wrong = await RequestTokenAsync(_http, PasswordGrant("qn.xem", "not-the-password"));
        using var unknown = await RequestTokenAsync(_http, PasswordGrant("nobody.here", "whatever"));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var wrongBody = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        var unknownBody = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_grant", wrongBody.GetProperty("error").GetString());
        Assert.False(wrongBody.TryGetProperty("access_token", out _));
        // The same answer whether or not the account exists.
        Assert.Equal(wrongBody.GetProperty("error_description").GetString(), unknownBody.GetProperty("error_description").GetString());
        Assert.Equal(1, await AuditCountAsync("grant-refused", "qn.xem", "wrong-password"));
        Assert.Equal(1, await AuditCountAsync("grant-refused", "nobody.here", "unknown-user"));
    }

    [Fact]
    public async Task Wrong_client_secret_is_refused_and_audited()
    {
        using var response = await RequestTokenAsync(_http, ClientGrant("qn-survey-partner", "guessed-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(1, await AuditCountAsync("grant-refused", "qn-survey-partner", "wrong-secret"));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await RequestTokenAsync(_http, PasswordGrant("qn.dieutra", $"wrong-{attempt}"))).Dispose();
        }
        using var response = await RequestTokenAsync(_http, PasswordGrant("qn.dieutra", DemoAccounts.Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, await AuditCountAsync("grant-refused", "qn.dieutra", "locked-out"));
    }

    [Fact]
    public async Task Passwords_and_client_secrets_are_stored_only_as_salted_hashes()
    {
        await using var connection = new NpgsqlConnection(platform.Identity.SuperuserConnectionString);
        var hashes = (await connection.QueryAsync<string>("SELECT password_hash FROM users UNION ALL SELECT secret_hash FROM api_clients")).ToList();
        var everyText = await connection.QuerySingleAsync<string>(
            "SELECT string_agg(t::text, '|') FROM (SELECT u::text AS t FROM users u UNION ALL SELECT c::text FROM api_clients c) rows");

        Assert.Equal(DemoAccounts.Users.Length + DemoAccounts.Clients.Length, hashes.Count);
        Assert.DoesNotContain(DemoAccounts.Password, everyText);
        // ASP.NET Core Identity v3 format (PBKDF2-HMAC-SHA512), and a distinct salt per row although the secret is shared.
        Assert.All(hashes, hash => Assert.Equal(1, Convert.FromBase64String(hash)[0]));
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public async Task Unsupported_grant_types_are_refused()
    {
        using var response = await RequestTokenAsync(_http, ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<TokenValidationResult> ValidateAgainstJwksAsync(string token)
    {
        var jwks = new JsonWebKeySet(await _http.GetStringAsync("/api/identity/.well-known/jwks"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "http://identity/api/identity/",
            ValidAudience = "par-api",
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
    }

    private async Task<string> SigningKeyIdAsync()
    {
        await using var connection = new NpgsqlConnection(platform.Identity.SuperuserConnectionString);
        return await connection.QuerySingleAsync<string>("SELECT key_id FROM signing_keys WHERE activates_at <= now() ORDER BY activates_at DESC LIMIT 1");
    }

    private async Task<int> AuditCountAsync(string auditEvent, string subject, string? reason)
    {
        await using var connection = new NpgsqlConnection(platform.Identity.SuperuserConnectionString);
        return await connection.QuerySingleAsync<int>(
            "SELECT count(*)::int FROM access_audit WHERE event = @auditEvent AND subject = @subject AND reason IS NOT DISTINCT FROM @reason",
            new { auditEvent, subject, reason });
    }
}
