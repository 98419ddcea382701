using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Bench;

/// <summary>
/// Issue 3's target: reads of a published 100-sub-criterion set by id over gRPC, with the whole platform running,
/// through the gateway (authenticated, as a ministry system would read) and straight to the criteria service.
/// </summary>
internal static class CriteriaScenarios
{
    public static async Task ReadPublishedSetAsync(BenchContext context)
    {
        var admin = await Tokens.PasswordAsync(context.App.GatewayHttp, "qn.quantri");
        using var http = new HttpClient { BaseAddress = context.App.GatewayHttp };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        var created = await http.PostAsJsonAsync("/api/criteria/sets", HundredSubCriteria($"BENCH-{Guid.NewGuid():N}"[..14]), json);
        created.EnsureSuccessStatusCode();
        var setId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await http.PostAsync($"/api/criteria/sets/{setId}/publish", null)).EnsureSuccessStatusCode();

        var ministry = await Tokens.ClientCredentialsAsync(context.App.GatewayHttp, "ministry-reporting");
        var headers = new Metadata { { "authorization", $"Bearer {ministry}" } };
        var request = new GetCriteriaSetRequest { SetId = setId };
        foreach (var (name, address) in new[]
                 {
                     ("GetCriteriaSet via gateway (JWT)", context.App.GatewayGrpc),
                     ("GetCriteriaSet direct to criteria (JWT)", context.App.ResourceEndpoint("criteria", "grpc")),
                 })
        {
            using var channel = GrpcChannel.ForAddress(address);
            var client = new CriteriaService.CriteriaServiceClient(channel);
            var set = await client.GetCriteriaSetAsync(request, headers);
            var leaves = set.Fields.SelectMany(field => field.Children).SelectMany(criterion => criterion.Children).Count();
            var result = await LoadRunner.RunAsync($"{name}, {leaves} leaves, {set.CalculateSize()} B", 32, context.Duration,
                async () => await client.GetCriteriaSetAsync(request, headers), cpuOf: context.Pids("gateway", "criteria"));
            Console.WriteLine(result);
        }
    }

    /// <summary>8 fields x 3 criteria x 4-5 sub-criteria = 100 leaves: 85 appraised (65 points), 15 by survey (35).</summary>
    private static object HundredSubCriteria(string code)
    {
        int appraised = 0, survey = 0;
        Node Leaf(string id, bool bySurvey)
        {
            var points = bySurvey ? (survey++ < 5 ? 3m : 2m) : (appraised++ < 45 ? 1m : 0.5m);
            return new Node(id, $"Tiêu chí thành phần {id}", points, bySurvey ? "Survey" : "Appraised", !bySurvey);
        }
        static Node Parent(string id, string name, List<Node> children) => new(id, name, children.Sum(child => child.MaxPoints), Children: children);

        var fields = Enumerable.Range(1, 8).Select(f => Parent($"{f}", $"Lĩnh vực {f}", Enumerable.Range(1, 3).Select(k =>
        {
            var count = (f - 1) * 3 + k > 20 ? 5 : 4; // 20 x 4 + 4 x 5 = 100
            return Parent($"{f}.{k}", $"Tiêu chí {f}.{k}", Enumerable.Range(1, count).Select(i => Leaf($"{f}.{k}.{i}", f == 8)).ToList());
        }).ToList())).ToList();
        return new
        {
            code, name = "Bộ tiêu chí đo tải: 100 tiêu chí thành phần", year = 2030, level = "Department",
            maxPoints = 100, appraisalPoints = 65, surveyPoints = 35,
            bands = new[] { new { label = "Tốt", minPercent = 90 }, new { label = "Khá", minPercent = 80 }, new { label = "Kém", minPercent = 0 } },
            fields,
        };
    }

    /// <summary>A node of the criteria service's JSON import schema (services/Criteria/README.md).</summary>
    private sealed record Node(
        string Code, string Name, decimal MaxPoints, string? Method = null, bool EvidenceRequired = false, List<Node>? Children = null);
}

internal static class Tokens
{
    public const string DemoPassword = "ParDemo#2026";

    public static Task<string> PasswordAsync(Uri gateway, string username) =>
        RequestAsync(gateway, new() { ["grant_type"] = "password", ["username"] = username, ["password"] = DemoPassword });

    public static Task<string> ClientCredentialsAsync(Uri gateway, string clientId) =>
        RequestAsync(gateway, new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = DemoPassword });

    private static async Task<string> RequestAsync(Uri gateway, Dictionary<string, string> form)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var response = await http.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
