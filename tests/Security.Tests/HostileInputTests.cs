using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Hostile input on write routes, as callers who may write there: stored verbatim or refused with 4xx, never a 500;
/// a body over the route's limit is 413; malformed or absurdly nested JSON is a 400.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class HostileInputTests(SecurityFixture platform, ITestOutputHelper output)
{
    public static readonly string[] Values =
    [
        "'; DROP TABLE units; --",
        "Robert'); SELECT pg_sleep(5);--",
        "\" OR 1=1 --",
        "<script>alert('xss')</script>",
        "<img src=x onerror=alert(1)>",
        "{{7*7}} ${7*7} %s%s%n",
        "Sở Tư pháp \u202e RTL \ud83d\ude00 emoji",
        "nul \u0000 byte",
        new string('x', 100_000),
    ];

    [Fact]
    public async Task Hostile_strings_are_stored_verbatim_or_refused_never_a_server_error()
    {
        using var admin = platform.Client(platform.Tokens.Of("qn.quantri"));
        using var officer = platform.Client(platform.Tokens.Of("qn.tuphap.canbo"));
        var failures = new List<string>();
        var targets = platform.Targets;
        for (var index = 0; index < Values.Length; index++)
        {
            var value = Values[index];
            var label = value.Length > 40 ? $"{value.Length} chars" : value;

            // Criteria: a unit's name and code.
            var unit = await admin.PostAsJsonAsync("/api/criteria/units", new
            {
                code = $"H{index}-{targets.Token}", name = value, type = "Department", validFrom = "2026-01-01",
            });
            await VerbatimAsync(unit, "POST /api/criteria/units name", label, failures, async created =>
                (await admin.GetFromJsonAsync<JsonElement>($"/api/criteria/units/{created.GetProperty("id")}")).GetProperty("name").GetString() == value);

            // Submission: an item's explanation.
            var item = await officer.PutAsJsonAsync($"/api/submission/assessments/{targets.Assessment}/items/{targets.SpareItemCode}", new { explanation = value });
            await VerbatimAsync(item, "PUT /api/submission/.../items/{code} explanation", label, failures, async saved =>
                await Task.FromResult(saved.GetProperty("explanation").GetString() == value));

            // Survey: a questionnaire's title (draft).
            var questionnaire = await admin.PostAsJsonAsync("/api/survey/questionnaires", new
            {
                roundId = targets.Round, respondentGroup = "leaders", title = value,
                questions = new[] { new { code = "Q1", text = value, subCriterionCode = "none", options = Array.Empty<object>() } },
            });
            await VerbatimAsync(questionnaire, "POST /api/survey/questionnaires title", label, failures, async created =>
                await Task.FromResult(created.GetProperty("definition").GetProperty("title").GetString() == value));
        }
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Malformed_oversized_and_deeply_nested_bodies_are_4xx()
    {
        using var admin = platform.Client(platform.Tokens.Of("qn.quantri"));
        var failures = new List<string>();

        async Task Expect(string what, string path, byte[] body, params int[] statuses)
        {
            using var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
            using var response = await admin.PostAsync(path, content);
            var status = (int)response.StatusCode;
            output.WriteLine($"{what}: {status}");
            if (!statuses.Contains(status))
            {
                failures.Add($"{what} on {path}: {status} (expected {string.Join('/', statuses)}) {Violations.Trim(await response.Content.ReadAsStringAsync())}");
            }
        }

        // Invalid UTF-8 inside a JSON string.
        var invalid = Encoding.UTF8.GetBytes("{\"code\":\"U1\",\"name\":\"").Concat(new byte[] { 0xff, 0xfe, 0xc3, 0x28 })
            .Concat(Encoding.UTF8.GetBytes("\",\"type\":\"Department\",\"validFrom\":\"2026-01-01\"}")).ToArray();
        await Expect("invalid UTF-8", "/api/criteria/units", invalid, 400);
        await Expect("invalid UTF-8", "/api/survey/questionnaires", invalid, 400);

        // 2 MB on a route limited to 1 MB by the gateway.
        var big = Encoding.UTF8.GetBytes($"{{\"code\":\"B1\",\"name\":\"{new string('x', 2 * 1024 * 1024)}\",\"type\":\"Department\",\"validFrom\":\"2026-01-01\"}}");
        await Expect("2 MB body", "/api/criteria/units", big, 413);
        await Expect("2 MB body", "/api/criteria/sets/validate", big, 413);

        // Deeply nested JSON: arrays, and objects where a string is expected.
        await Expect("nested arrays (10,000)", "/api/criteria/sets/validate",
            Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), 400);
        await Expect("nested objects (5,000)", "/api/criteria/units",
            Encoding.UTF8.GetBytes("{\"code\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_001)), 400);
        await Expect("nested objects (5,000)", "/api/survey/questionnaires",
            Encoding.UTF8.GetBytes("{\"title\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_001)), 400);

        // Truncated JSON and a wrong type.
        await Expect("truncated JSON", "/api/criteria/units", Encoding.UTF8.GetBytes("{\"code\":\"T1\",\"name\":"), 400);
        await Expect("number for a string", "/api/submission/assessments", Encoding.UTF8.GetBytes("{\"roundId\":12,\"unitId\":[1]}"), 400);

        Assert.Empty(failures);
    }

    private static async Task VerbatimAsync(HttpResponseMessage response, string what, string label, List<string> failures, Func<JsonElement, Task<bool>> stored)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            failures.Add($"{what} = '{label}': {status} {Violations.Trim(body)}");
        }
        else if (status is >= 200 and < 300 && !await stored(JsonDocument.Parse(body).RootElement))
        {
            failures.Add($"{what} = '{label}': {status} but not stored verbatim");
        }
        else if (status is >= 300 and < 400)
        {
            failures.Add($"{what} = '{label}': unexpected {status}");
        }
    }
}
