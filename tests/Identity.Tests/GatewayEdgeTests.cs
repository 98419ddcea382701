extern alias gateway;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ParPlatform.Identity.Seed;
using ParPlatform.ServiceDefaults.Identity;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;
using ClientQuotas = gateway::ParPlatform.Gateway.Security.ClientQuotas;

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
        var appraiser = await TokenAsync(_gateway, PasswordGrant("qn.thamdinh", DemoAccounts.Password));
        var viewer = await TokenAsync(_gateway, PasswordGrant("qn.xem", DemoAccounts.Password));

        var statuses = await CallsWithAsync(appraiser, tight, TightRateLimit);
        using var limited = await GetWithTokenAsync(tight, appraiser);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, TightRateLimit), statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("urn:par:gateway:rate-limited", (await limited.Content.ReadFromJsonAsync<ProblemDto>())!.Type);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(viewer, tight));
    }

    /// <summary>Issue 16: a survey partner's machine submits single responses faster than a person clicks. As shipped,
    /// survey partners (client credentials, role survey-partner) and survey operators have 5,000 a second, people 100.
    /// (The operator's quota is read from the gateway's own choice: the seeded operator is locked out by another test.)</summary>
    [Fact]
    public async Task As_shipped_survey_partners_and_operators_pass_100_per_window_within_their_quota()
    {
        using var shipped = platform.ShippedGateway.CreateRestClient();
        var partner = await TokenAsync(_gateway, ClientGrant("qn-survey-partner", DemoAccounts.Password));
        var quotas = platform.ShippedGateway.Services.GetRequiredService<ClientQuotas>();
        var surveyOperator = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                [new(PlatformClaims.Subject, "operator-1"), new(PlatformClaims.Role, PlatformRoles.SurveyOperator), new(PlatformClaims.Tenant, "quang-ninh")],
                "Bearer")),
        };

        var statuses = await CallsWithAsync(partner, shipped, 150);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(5000, quotas.ClientOf(surveyOperator).PermitLimit);
    }

    [Fact]
    public async Task As_shipped_a_person_past_100_in_a_window_gets_429_with_retry_after_and_the_problem()
    {
        using var shipped = platform.ShippedGateway.CreateRestClient();
        var viewer = await TokenAsync(_gateway, PasswordGrant("qn.xem", DemoAccounts.Password));

        var statuses = await CallsWithAsync(viewer, shipped, 100);
        using var limited = await GetWithTokenAsync(shipped, viewer);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var problem = await limited.Content.ReadFromJsonAsync<ProblemDto>();
        Assert.Equal("urn:par:gateway:rate-limited", problem!.Type);
        Assert.Equal(429, problem.Status);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // Whole seconds, from the limiter's lease: a fixed window of ten minutes says its length.
        var retryAfter = limited.Headers.GetValues("Retry-After").Single();
        Assert.Matches("^[0-9]+$", retryAfter);
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
    }

    [Fact]
    public async Task As_shipped_an_anonymous_address_past_20_gets_429_and_probes_stay_unlimited()
    {
        using var shipped = platform.ShippedGateway.CreateRestClient();

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 20; call++)
        {
            using var response = await shipped.GetAsync("/api/criteria/info");
            statuses.Add(response.StatusCode);
        }
        using var limited = await shipped.GetAsync("/api/criteria/info");
        using var probe = await shipped.GetAsync("/alive");

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("urn:par:gateway:rate-limited", (await limited.Content.ReadFromJsonAsync<ProblemDto>())!.Type);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    /// <summary>The tight gateway's configuration sets survey partners to 5 and the ministry-reporting client to 4
    /// (its role, ministry-client, has no quota), where the default is 3.</summary>
    [Fact]
    public async Task Configuration_overrides_a_roles_quota_and_gives_a_client_its_own()
    {
        using var tight = platform.TightGateway.CreateRestClient();
        var partner = await TokenAsync(_gateway, ClientGrant("qn-survey-partner", DemoAccounts.Password));
        var ministry = await TokenAsync(_gateway, ClientGrant("ministry-reporting", DemoAccounts.Password));

        var partnerStatuses = await CallsWithAsync(partner, tight, TightPartnerQuota + 1);
        var ministryStatuses = await CallsWithAsync(ministry, tight, TightClientQuota + 1);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, TightPartnerQuota), HttpStatusCode.TooManyRequests], partnerStatuses);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, TightClientQuota), HttpStatusCode.TooManyRequests], ministryStatuses);
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

    private static async Task<List<HttpStatusCode>> CallsWithAsync(string token, HttpClient client, int calls)
    {
        var statuses = new List<HttpStatusCode>(calls);
        for (var call = 0; call < calls; call++)
        {
            statuses.Add(await CallWithAsync(token, client));
        }
        return statuses;
    }

    private static async Task<HttpStatusCode> CallWithAsync(string token, HttpClient client)
    {
        using var response = await GetWithTokenAsync(client, token);
        return response.StatusCode;
    }
}
