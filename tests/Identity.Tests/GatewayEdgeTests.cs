using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ParPlatform.Identity.Seed;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>What the gateway does to every request: correlation id, security headers, size limits, rate limits, CORS.</summary>
[Collection(IdentityPlatformCollection.Name)]
public sealed class GatewayEdgeTests(IdentityPlatformFixture platform)
{
    private readonly HttpClient _gateway = platform.Gateway.CreateRestClient();

    [Fact]
    public async Task Correlation_id_is_kept_when_well_formed_generated_otherwise_and_security_headers_are_set()
    {
        using var kept = new HttpRequestMessage(HttpMethod.Get, "/api/criteria/info");
        kept.Headers.Add("X-Correlation-Id", "abc-123");
        using var keptResponse = await _gateway.SendAsync(kept);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/criteria/info");
        forged.Headers.TryAddWithoutValidation("X-Correlation-Id", "<script>alert(1)</script>");
        using var forgedResponse = await _gateway.SendAsync(forged);

        Assert.Equal("abc-123", keptResponse.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("abc-123", (await keptResponse.Content.ReadFromJsonAsync<EchoReply>())!.Headers["X-Correlation-Id"]);
        Assert.Matches("^[0-9a-f]{32}$", forgedResponse.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("nosniff", keptResponse.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", keptResponse.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", keptResponse.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", keptResponse.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Bodies_over_the_route_limit_are_413_and_evidence_uploads_may_be_large()
    {
        var token = await TokenAsync(_gateway, PasswordGrant("qn.thamdinh", DemoAccounts.Password));
        using var small = new HttpRequestMessage(HttpMethod.Post, "/api/criteria/sets") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        small.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var evidence = new HttpRequestMessage(HttpMethod.Post, "/api/evidence-storage/files") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        evidence.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var refused = await _gateway.SendAsync(small);
        using var accepted = await _gateway.SendAsync(evidence);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("urn:par:gateway:too-large", (await refused.Content.ReadFromJsonAsync<ProblemDto>())!.Type);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(2 * 1024 * 1024, (await accepted.Content.ReadFromJsonAsync<EchoReply>())!.BodyLength);
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_429_problem_details_while_others_continue()
    {
        using var tight = platform.TightGateway.CreateRestClient();
        var partner = await TokenAsync(_gateway, ClientGrant("qn-survey-partner", DemoAccounts.Password));
        var viewer = await TokenAsync(_gateway, PasswordGrant("qn.xem", DemoAccounts.Password));

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call <= TightRateLimit; call++)
        {
            statuses.Add(await CallWithAsync(partner, tight));
        }
        using var limited = await GetWithTokenAsync(tight, partner);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, TightRateLimit), statuses.Take(TightRateLimit));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("urn:par:gateway:rate-limited", (await limited.Content.ReadFromJsonAsync<ProblemDto>())!.Type);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(viewer, tight));
    }

    [Fact]
    public async Task Cors_allows_the_configured_web_origin_only()
    {
        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/criteria/sets");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return request;
        }

        using var allowed = await _gateway.SendAsync(Preflight("http://localhost:5173"));
        using var other = await _gateway.SendAsync(Preflight("https://evil.example"));

        Assert.Equal("http://localhost:5173", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpStatusCode> CallWithAsync(string token, HttpClient client)
    {
        using var response = await GetWithTokenAsync(client, token);
        return response.StatusCode;
    }
}
