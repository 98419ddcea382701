using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Issue 11: errors a client can read. ProblemDetails say they are UTF-8 (a client mis-decoded "Khác" without it),
/// malformed JSON is named by its place, and a gRPC caller without a token reads gRPC status 16, not an HTTP 401 with
/// a JSON body: at the gateway and at each service.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class ErrorShapeTests(SecurityFixture platform, ITestOutputHelper output)
{
    [Theory]
    [InlineData("/api/criteria/units", "{\"code\":\"T1\",\"name\":", "", 1, 21)]
    [InlineData("/api/submission/assessments", "{\"roundId\":12,\"unitId\":[1]}", "$.roundId", 1, 14)]
    [InlineData("/api/survey/questionnaires", "{\n  \"roundId\": \"x\",\n  \"title\": tru\n}", "$.roundId", 2, 17)]
    [InlineData("/api/criteria/sets/validate", "{\"code\": \"A\",, }", "$", 1, 14)]
    public async Task Malformed_json_is_a_utf8_problem_that_names_the_member_line_and_position(
        string path, string json, string member, int line, int position)
    {
        using var admin = platform.Client(platform.Tokens.Of("qn.quantri"));
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)response.StatusCode} {response.Content.Headers.ContentType} {body}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:par:platform:malformed-json", problem.GetProperty("type").GetString());
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
        if (position > 0)
        {
            Assert.Equal(position, problem.GetProperty("position").GetInt32());
        }
        if (member.Length > 0)
        {
            Assert.Equal(member, problem.GetProperty("path").GetString());
            Assert.Contains(member, problem.GetProperty("detail").GetString());
        }
        Assert.Contains($"line {line}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_problem_says_it_is_utf8_from_the_services_and_from_the_gateway()
    {
        using var viewer = platform.Client(platform.Tokens.Of("qn.xem"));
        using var anonymous = platform.Client();
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("criteria 403", await viewer.PostAsync("/api/criteria/units", new StringContent("{}", Encoding.UTF8, "application/json"))),
            ("submission 404", await viewer.GetAsync($"/api/submission/assessments/{Guid.NewGuid()}")),
            ("survey 403", await viewer.GetAsync($"/api/survey/rounds/{platform.Targets.Round}/scores")),
            ("ranking 403", await viewer.GetAsync($"/api/ranking/rounds/{platform.Targets.Round}/live")),
            ("evidence 404", await viewer.GetAsync($"/api/evidence-storage/evidence/{Guid.NewGuid()}")),
            ("gateway 401", await anonymous.GetAsync("/api/criteria/sets")),
            ("gateway 413", await viewer.PostAsync("/api/criteria/units", new ByteArrayContent(new byte[2 * 1024 * 1024]) { Headers = { ContentType = new("application/json") } })),
        };
        foreach (var (what, response) in answers)
        {
            output.WriteLine($"{what}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {response.Content.Headers.ContentType}");
            Assert.True(response.Content.Headers.ContentType?.CharSet == "utf-8", $"{what}: {response.Content.Headers.ContentType}");
            response.Dispose();
        }
    }

    /// <summary>The methods a service itself guards with a token (the others answer trusted in-cluster calls).</summary>
    [Theory]
    [InlineData("survey", "par.survey.v1.SurveyService/GetUnitScores")]
    [InlineData("survey", "par.survey.v1.SurveyService/SubmitResponses")]
    [InlineData("ranking", "par.ranking.v1.RankingService/GetPublishedRanking")]
    [InlineData("ranking", "par.ranking.v1.RankingService/StreamPublishedUnits")]
    public async Task A_grpc_call_without_a_token_straight_to_a_service_gets_grpc_status_16(string service, string method)
    {
        using var grpc = new HttpClient { BaseAddress = platform.App.ResourceEndpoint(service, "grpc") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new("application/grpc") } },
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await grpc.SendAsync(request);
        var payload = await response.Content.ReadAsByteArrayAsync();
        string? Status() => response.Headers.TryGetValues("grpc-status", out var h) ? h.First()
            : response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First() : null;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("16", Status());
        Assert.Empty(payload);
    }
}
