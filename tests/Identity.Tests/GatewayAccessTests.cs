extern alias gateway;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using ParPlatform.Identity.Seed;
using Microsoft.Extensions.DependencyInjection;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;
using ParPlatform.ServiceDefaults.Identity;
using PublicPaths = gateway::ParPlatform.Gateway.Security.PublicPaths;

namespace ParPlatform.Identity.Tests;

/// <summary>The gateway in front of a stand-in service: who gets through, with what, and how much.</summary>
[Collection(IdentityPlatformCollection.Name)]
public sealed class GatewayAccessTests(IdentityPlatformFixture platform)
{
    private readonly HttpClient _gateway = platform.Gateway.CreateRestClient();

    [Fact]
    public async Task A_protected_route_without_a_token_is_401_problem_details_and_never_reaches_the_service()
    {
        using var response = await _gateway.GetAsync("/api/criteria/sets");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet); // issue 11: "Khác" was mis-decoded without it
        Assert.DoesNotContain("Headers", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_from_the_identity_service_passes_and_is_forwarded_while_interim_headers_are_stripped()
    {
        var token = await TokenAsync(_gateway, PasswordGrant("qn.quantri", DemoAccounts.Password));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/criteria/sets");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Par-User", "forged");
        request.Headers.Add("X-Par-Role", PlatformRoles.NationalAdmin);
        request.Headers.Add("x-par-tenant", PlatformClaims.NationalTenant);

        using var response = await _gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = (await response.Content.ReadFromJsonAsync<EchoReply>())!;
        var headers = new Dictionary<string, string>(echo.Headers, StringComparer.OrdinalIgnoreCase);
        Assert.Equal($"Bearer {token}", headers["Authorization"]);
        Assert.DoesNotContain(headers.Keys, name => name.StartsWith("X-Par-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(response.Headers.GetValues("X-Correlation-Id").Single(), headers["X-Correlation-Id"]);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        using var foreign = RSA.Create(2048);
        var token = Mint(new RsaSecurityKey(foreign) { KeyId = "attacker" }, expires: DateTime.UtcNow.AddMinutes(10));

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(token));
    }

    [Fact]
    public async Task An_expired_token_signed_by_the_real_key_is_refused_while_a_fresh_one_passes()
    {
        var key = await RealSigningKeyAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Mint(key, expires: DateTime.UtcNow.AddMinutes(-5))));
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(Mint(key, expires: DateTime.UtcNow.AddMinutes(5))));
    }

    [Fact]
    public async Task Health_info_token_and_discovery_stay_public_while_diagnostics_need_a_token()
    {
        Assert.Equal(HttpStatusCode.OK, (await _gateway.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.GetAsync("/api")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.GetAsync("/api/criteria/info")).StatusCode);
        // A ping writes to every database and the broker: not for anonymous callers (issue 11).
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.PostAsync("/api/criteria/diagnostics/pings", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.GetAsync("/api/criteria/diagnostics/pings/123")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.GetAsync("/api/identity/info")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.GetAsync("/api/identity/.well-known/openid-configuration")).StatusCode);
        // A public prefix does not open its neighbours.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.GetAsync("/api/criteria/information")).StatusCode);
    }

    [Theory]
    [InlineData("/par.criteria.v1.CriteriaService/GetServiceInfo", true)]
    [InlineData("/par.criteria.v1.CriteriaService/ListCriteriaSets", false)]
    [InlineData("/api/ranking/diagnostics/pings/1", false)]
    [InlineData("/api/identity/connect/token", true)]
    [InlineData("/api/submission/assessments", false)]
    [InlineData("/api/identity/users", false)]
    public void Only_health_info_openapi_and_sign_in_paths_are_public(string path, bool isPublic) =>
        Assert.Equal(isPublic, platform.Gateway.Services.GetRequiredService<PublicPaths>().Matches(path));

    [Fact]
    public async Task Grpc_methods_need_a_token_except_GetServiceInfo_and_refuse_in_grpc_terms()
    {
        using var grpc = new HttpClient { BaseAddress = platform.Gateway.GrpcAddress };
        HttpRequestMessage Call(string method) => new(HttpMethod.Post, $"/par.criteria.v1.CriteriaService/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new("application/grpc") } },
        };

        using var info = await grpc.SendAsync(Call("GetServiceInfo"));
        using var other = await grpc.SendAsync(Call("ListCriteriaSets"));

        Assert.NotEqual(HttpStatusCode.Unauthorized, info.StatusCode); // no gRPC criteria here: it gets as far as routing
        Assert.False(info.Headers.Contains("grpc-status") && info.Headers.GetValues("grpc-status").Single() == "16");
        // A gRPC client reads status 16 (UNAUTHENTICATED), not an HTTP 401 with a JSON body (issue 11).
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("application/grpc", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal("16", other.Headers.GetValues("grpc-status").Single());
        Assert.Empty(await other.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpStatusCode> CallWithAsync(string token)
    {
        using var response = await GetWithTokenAsync(_gateway, token);
        return response.StatusCode;
    }

    private static string Mint(SecurityKey key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "http://identity/api/identity/",
        Audience = "par-api",
        TokenType = "at+jwt",
        IssuedAt = expires.AddMinutes(-15),
        NotBefore = expires.AddMinutes(-15),
        Expires = expires,
        Claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = "intruder",
            [PlatformClaims.Role] = PlatformRoles.NationalAdmin,
            [PlatformClaims.Tenant] = PlatformClaims.NationalTenant,
        },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private async Task<SecurityKey> RealSigningKeyAsync()
    {
        await using var connection = new NpgsqlConnection(platform.Identity.SuperuserConnectionString);
        var (keyId, privateKey) = await connection.QuerySingleAsync<(string, byte[])>(
            "SELECT key_id, private_key FROM signing_keys WHERE activates_at <= now() ORDER BY activates_at DESC LIMIT 1");
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(privateKey, out _);
        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }

}
