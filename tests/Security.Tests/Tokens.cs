using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Access tokens: real ones from the identity service's token endpoint (demo accounts), and minted ones with arbitrary
/// claims, signed by the platform's real current signing key (read from the identity database), by another key, or
/// expired. Issuer and audience are copied from a real token, so only the property under test differs.
/// </summary>
public sealed class Tokens
{
    private readonly SecurityKey _realKey;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly Dictionary<string, string> _signedIn;

    private Tokens(SecurityKey realKey, string issuer, string audience, Dictionary<string, string> signedIn)
    {
        _realKey = realKey;
        _issuer = issuer;
        _audience = audience;
        _signedIn = signedIn;
    }

    public string Issuer => _issuer;

    /// <summary>A real token of a demo account or machine client.</summary>
    public string Of(string account) => _signedIn[account];

    public static readonly string[] Users = ["bo.quantri", "qn.quantri", "qn.thamdinh", "qn.tuphap.canbo", "qn.tuphap.lanhdao", "qn.dieutra", "qn.xem"];
    public static readonly string[] Machines = ["qn-survey-partner", "ministry-reporting"];

    public static async Task<Tokens> CreateAsync(AppHostRun app)
    {
        using var http = new HttpClient { BaseAddress = app.GatewayHttp };
        var signedIn = new Dictionary<string, string>();
        foreach (var user in Users)
        {
            signedIn[user] = await TokenAsync(http, new() { ["grant_type"] = "password", ["username"] = user, ["password"] = SecurityFixture.Password });
        }
        foreach (var client in Machines)
        {
            signedIn[client] = await TokenAsync(http, new() { ["grant_type"] = "client_credentials", ["client_id"] = client, ["client_secret"] = SecurityFixture.Password });
        }
        var real = new JsonWebToken(signedIn["qn.xem"]);
        return new Tokens(await RealSigningKeyAsync(app), real.Issuer, real.Audiences.Single(), signedIn);
    }

    /// <summary>Signed by the platform's real key: valid unless <paramref name="expiresIn"/> is in the past.</summary>
    public string Mint(string role, string? tenant, string? unit = null, TimeSpan? expiresIn = null, string? audience = null, string? issuer = null) =>
        Sign(_realKey, role, tenant, unit, expiresIn ?? TimeSpan.FromMinutes(15), audience ?? _audience, issuer ?? _issuer);

    /// <summary>Right claims, issuer and audience, but signed by a key the platform never published.</summary>
    public string MintWithForeignKey(string role, string tenant)
    {
        using var rsa = RSA.Create(2048);
        return Sign(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = ((RsaSecurityKey)_realKey).KeyId }, role, tenant, null,
            TimeSpan.FromMinutes(15), _audience, _issuer);
    }

    private static string Sign(SecurityKey key, string role, string? tenant, string? unit, TimeSpan expiresIn, string audience, string issuer)
    {
        var expires = DateTime.UtcNow + expiresIn;
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = $"security-test-{role}-{tenant}-{Guid.NewGuid():N}"[..60],
            [PlatformClaims.Role] = role,
        };
        if (tenant is not null)
        {
            claims[PlatformClaims.Tenant] = tenant;
        }
        if (unit is not null)
        {
            claims[PlatformClaims.Unit] = unit;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            TokenType = "at+jwt",
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static async Task<SecurityKey> RealSigningKeyAsync(AppHostRun app)
    {
        await using var connection = new NpgsqlConnection(app.ResourceConnectionString("identitydb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT key_id, private_key FROM signing_keys WHERE activates_at <= now() ORDER BY activates_at DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("The identity database has no active signing key.");
        }
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey((byte[])reader[1], out _);
        return new RsaSecurityKey(rsa) { KeyId = reader.GetString(0) };
    }

    private static async Task<string> TokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken);
}
