using System.Net;
using System.Net.Http.Json;
using Grpc.Net.Client;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>Through the gateway, REST and gRPC reach every service, and events cross the real broker.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayRoutingTests(PlatformFixture platform)
{
    public static TheoryData<string> Services => ["criteria", "submission", "evidence-storage", "survey", "ranking"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Rest_call_through_the_gateway_reaches_the_service(string service)
    {
        using var http = new HttpClient { BaseAddress = platform.App.GatewayHttp };
        var info = await http.GetFromJsonAsync<ServiceInfoDto>($"/api/{service}/info");
        Assert.Equal(service, info!.Service);
        Assert.True(info.AppliedMigrations >= 1, "the service applied its migrations at start-up");
    }

    [Fact]
    public async Task Grpc_call_through_the_gateway_reaches_every_service()
    {
        using var channel = GrpcChannel.ForAddress(platform.App.GatewayGrpc);
        var request = new GetServiceInfoRequest();
        var answers = new[]
        {
            await new Contracts.Criteria.V1.CriteriaService.CriteriaServiceClient(channel).GetServiceInfoAsync(request),
            await new Contracts.Submission.V1.SubmissionService.SubmissionServiceClient(channel).GetServiceInfoAsync(request),
            await new Contracts.Evidence.V1.EvidenceService.EvidenceServiceClient(channel).GetServiceInfoAsync(request),
            await new Contracts.Survey.V1.SurveyService.SurveyServiceClient(channel).GetServiceInfoAsync(request),
            await new Contracts.Ranking.V1.RankingService.RankingServiceClient(channel).GetServiceInfoAsync(request),
        };
        Assert.Equal(["criteria", "submission", "evidence-storage", "survey", "ranking"], answers.Select(answer => answer.Service));
    }

    [Fact]
    public async Task An_event_published_by_one_service_is_consumed_by_another_over_the_broker()
    {
        // A ping writes to a database and the broker: only an operator may send one (issue 11).
        using var anonymous = new HttpClient { BaseAddress = platform.App.GatewayHttp };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/criteria/diagnostics/pings", null)).StatusCode);
        using var viewer = await Gateway.SignInAsync(platform.App.GatewayHttp, "qn.xem");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/criteria/diagnostics/pings", null)).StatusCode);

        using var http = await Gateway.SignInAsync(platform.App.GatewayHttp, "qn.quantri");
        var sent = await http.PostAsync("/api/criteria/diagnostics/pings", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var ping = await sent.Content.ReadFromJsonAsync<PingDto>();

        var received = await Eventually.GetAsync(async () =>
        {
            var response = await http.GetAsync($"/api/ranking/diagnostics/pings/{ping!.PingId}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PingDto>() : null;
        }, what: "the ranking service to record the criteria service's ping");
        Assert.Equal("criteria", received.FromService);
    }

    [Fact]
    public async Task Health_and_liveness_are_served_by_the_gateway()
    {
        using var http = new HttpClient { BaseAddress = platform.App.GatewayHttp };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_details_401_without_a_token_and_404_with_one()
    {
        using var http = new HttpClient { BaseAddress = platform.App.GatewayHttp };
        var anonymous = await http.GetAsync("/api/criteria/no-such-thing");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        // The demo accounts exist because the AppHost seeds demo data.
        var token = await http.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "bo.quantri", ["password"] = "ParDemo#2026",
        }));
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<TokenDto>())!.access_token;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/criteria/no-such-thing");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var signedIn = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, signedIn.StatusCode);
        Assert.Equal("application/problem+json", signedIn.Content.Headers.ContentType?.MediaType);
    }

#pragma warning disable IDE1006 // OAuth's wire names
    private sealed record TokenDto(string access_token);
#pragma warning restore IDE1006

    private sealed record ServiceInfoDto(string Service, int AppliedMigrations);

    private sealed record PingDto(Guid PingId, string FromService);
}
