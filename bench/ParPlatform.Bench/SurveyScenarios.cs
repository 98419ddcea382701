using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ParPlatform.Testing;

namespace ParPlatform.Bench;

/// <summary>
/// Issue 5's figures with the whole platform running, everything through the gateway with real tokens:
/// (a) batched intake to stored-and-aggregated, (b) raw binary COPY of the same rows into the same table in the same
/// run, (c) single-response requests with p50/p99, sent by the demo's survey partner (a machine client, its own
/// token by client credentials) within the gateway's default quotas. Processes: <c>--survey-workers N</c> and
/// <c>--survey-apis N</c> (default 1 each); CPU is counted for all of them.
/// </summary>
internal static class SurveyScenarios
{
    private const int BatchedResponses = 50_000;
    private const int WarmUpResponses = 20_000;
    private const int BatchSize = 1_000;
    private const int BatchClients = 4;
    private const int SingleClients = 64;
    // The demo's department set of the current year: a round's year must be its set's, and its windows (now) within
    // that year's span (the criteria service refuses a 2026 round on the 2025 set).
    private static readonly Guid DepartmentSetCurrentYear = Guid.Parse("10000000-0000-4000-8000-000000000005");
    private static readonly Guid[] Departments = Enumerable.Range(11, 6).Select(i => Guid.Parse($"20000000-0000-4000-8000-0000000000{i}")).ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task IntakeAsync(BenchContext context)
    {
        var gateway = context.App.GatewayHttp;
        using var admin = Client(gateway, await Tokens.PasswordAsync(gateway, "qn.quantri"));
        using var operatorClient = Client(gateway, await Tokens.PasswordAsync(gateway, "qn.dieutra"));
        using var partner = Client(gateway, await Tokens.ClientCredentialsAsync(gateway, "qn-survey-partner"));
        var questionnaire = await PrepareAsync(admin, operatorClient);
        Console.WriteLine($"bench: questionnaire {questionnaire.Id} with {questionnaire.Questions.Length} questions; " +
            $"{context.SurveyApis} API process(es), {context.SurveyWorkers} worker(s)");
        var measured = context.Pids(["gateway", .. context.SurveyProcesses, "ranking", "criteria"]);

        // (a) batched: 4 clients, 1,000 responses a request, until every one is stored and aggregated. A first pass of
        // the same shape is not counted: it carries the JIT's compilation of the API's and the worker's hot paths.
        var run = Guid.NewGuid().ToString("N")[..6];
        var warmUp = await BatchedAsync(operatorClient, questionnaire, $"warm-{run}-", WarmUpResponses);
        Console.WriteLine($"(a) warm-up pass (not counted): {WarmUpResponses:N0} stored in {warmUp.Stored.TotalSeconds:F1} s");
        var cpu = CpuMeter.StartWithInfrastructure(measured);
        var (accepted, stored) = await BatchedAsync(operatorClient, questionnaire, $"bench-{run}-", BatchedResponses);
        var batched = BatchedResponses / stored.TotalSeconds;
        Console.WriteLine($"(a) batched intake via gateway: {BatchedResponses:N0} accepted in {accepted.TotalSeconds:F1} s, " +
            $"stored and aggregated in {stored.TotalSeconds:F1} s = {batched:N0} responses/s ({context.SurveyWorkers} worker(s))");
        Console.WriteLine($"                                         {cpu.PerOperation(BatchedResponses)} (per response)");
        // Every platform process; not the benchmark itself (the survey partners' machines in real use).
        var platformPerResponse = cpu.Sample().Where(process => process.Key != "bench").Sum(process => process.Value) * 1e6 / BatchedResponses;

        // (b) the same rows, copied raw into a copy of the same table, in this run.
        await using var surveyDb = NpgsqlDataSource.Create(context.App.ResourceConnectionString("surveydb"));
        var copy = await SurveyRawCopy.RunAsync(surveyDb, $"bench-{run}-");
        Console.WriteLine($"(b) raw binary COPY of the same rows: {copy.RowsPerSecond:N0} rows/s, its PostgreSQL backend " +
            $"{copy.BackendCpuMicrosecondsPerRow:N1} µs CPU per row; (a) is {100 * batched / copy.RowsPerSecond:F0} % of (b)");
        Console.WriteLine($"    (a)'s platform CPU per stored response {platformPerResponse:N0} µs = " +
            $"{platformPerResponse / copy.BackendCpuMicrosecondsPerRow:N1}x (b)'s per row (target: at most 6x)");

        // (c) single responses from the survey partner's machine, 64 connections in a closed loop. A refusal past its
        // quota (429) counts as an error: the default quotas must let a partner submit at full rate.
        var next = 0L;
        var refused = 0L;
        var result = await LoadRunner.RunAsync($"(c) single responses via gateway (partner)", SingleClients, context.Duration, async () =>
        {
            var i = Interlocked.Increment(ref next);
            using var reply = await partner.PostAsJsonAsync("/api/survey/responses", Response(questionnaire, $"single-{run}-{i}", (int)i), Json);
            if (reply.StatusCode != HttpStatusCode.Accepted)
            {
                Interlocked.Increment(ref refused);
                throw new InvalidOperationException($"single response: {(int)reply.StatusCode}");
            }
        }, cpuOf: measured, cpuOfInfrastructure: true);
        Console.WriteLine(result);
        Console.WriteLine($"(c) refused by the gateway or the API (429 past the partner's quota, or any other status): {refused}");

        // Nothing accepted is lost: every accepted response ends stored (the backlog the run left drains).
        var drained = Stopwatch.StartNew();
        var status = await StatusAsync(operatorClient);
        var backlogAtEnd = status.Accepted - status.Stored;
        while (status.Stored < status.Accepted && drained.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(250);
            status = await StatusAsync(operatorClient);
        }
        Console.WriteLine($"(c) backlog when the clients stopped: {backlogAtEnd:N0}; after {drained.Elapsed.TotalSeconds:F1} s: " +
            $"accepted {status.Accepted:N0}, stored {status.Stored:N0} (all runs' responses of the tenant)");
    }

    /// <summary>
    /// Issue 16 §1's lead: what passing one batch of 1,000 responses costs the gateway. The same batches (serialized
    /// once, sent with a Content-Length, as a partner's machine would) posted one at a time straight to the survey API,
    /// through nginx (one worker, streaming the body) and through the gateway, three rounds; CPU per request of each
    /// process, and the body's size.
    /// </summary>
    public static async Task BatchHopAsync(BenchContext context)
    {
        var gateway = context.App.GatewayHttp;
        using var admin = Client(gateway, await Tokens.PasswordAsync(gateway, "qn.quantri"));
        using var operatorClient = Client(gateway, await Tokens.PasswordAsync(gateway, "qn.dieutra"));
        var token = operatorClient.DefaultRequestHeaders.Authorization!;
        var questionnaire = await PrepareAsync(admin, operatorClient);
        var api = context.App.ResourceEndpoint("survey", "http");
        await using var nginx = await GatewayScenarios.Nginx.StartAsync(Path.Combine(context.App.StateFolder, "nginx-survey"), api, "/api/survey/info");
        var pids = context.Pids(["gateway", "survey"]);
        const int Requests = 20;
        var run = Guid.NewGuid().ToString("N")[..6];
        var next = 0;
        byte[] Body() => JsonSerializer.SerializeToUtf8Bytes(new
        {
            responses = Enumerable.Range(0, BatchSize).Select(i => Response(questionnaire, $"hop-{run}-{next}-{i}", i)).ToArray(),
        }, Json);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        async Task PostAsync(Uri address, byte[] body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/api/survey/responses/batch"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            };
            request.Headers.Authorization = token;
            using var reply = await http.SendAsync(request);
            reply.EnsureSuccessStatusCode();
        }
        Console.WriteLine($"bench: a batch of {BatchSize:N0} responses is {Body().Length:N0} bytes of JSON");
        for (var round = 1; round <= 3; round++)
        {
            foreach (var (way, address) in new[] { ("direct", api), ("nginx", nginx.Address), ("gateway", gateway) })
            {
                var bodies = Enumerable.Range(0, Requests).Select(_ => { next++; return Body(); }).ToList();
                await PostAsync(address, bodies[0]); // warm-up: the connection, JIT
                var cpu = CpuMeter.Start(pids, "nginx");
                var clock = Stopwatch.StartNew();
                foreach (var body in bodies.Skip(1))
                {
                    await PostAsync(address, body);
                }
                var perRequest = cpu.Sample().ToDictionary(item => item.Key, item => item.Value * 1e3 / (Requests - 1));
                Console.WriteLine($"round {round} {way,-8} {clock.Elapsed.TotalMilliseconds / (Requests - 1),7:N1} ms a batch; " +
                    string.Join(", ", perRequest.Select(item => $"{item.Key} {item.Value:N2} ms")) + " CPU per batch request; load " +
                    File.ReadAllText("/proc/loadavg").Trim());
            }
        }
    }

    /// <summary>Sends <paramref name="count"/> responses in batches from 4 clients; returns when all are accepted and when all are stored.</summary>
    private static async Task<(TimeSpan Accepted, TimeSpan Stored)> BatchedAsync(
        HttpClient operatorClient, QuestionnaireInfo questionnaire, string prefix, int count)
    {
        var before = await StatusAsync(operatorClient);
        var batches = new ConcurrentQueue<object[]>(Enumerable.Range(0, count)
            .Select(i => Response(questionnaire, prefix + i, i)).Chunk(BatchSize));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, BatchClients).Select(_ => Task.Run(async () =>
        {
            while (batches.TryDequeue(out var batch))
            {
                using var reply = await operatorClient.PostAsJsonAsync("/api/survey/responses/batch", new { responses = batch }, Json);
                reply.EnsureSuccessStatusCode();
            }
        })));
        var accepted = clock.Elapsed;
        while ((await StatusAsync(operatorClient)).Stored < before.Stored + count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("The workers did not store the batched responses within 5 minutes.");
            }
            // Each look counts every receipt and stored response (the operations panel's figures): often enough to
            // time the end within a few per cent, rarely enough not to be a cost of its own per response.
            await Task.Delay(250);
        }
        return (accepted, clock.Elapsed);
    }

    /// <summary>A round of this year with its survey window open now, the six demo departments, one citizens' questionnaire.</summary>
    private static async Task<QuestionnaireInfo> PrepareAsync(HttpClient admin, HttpClient operatorClient)
    {
        var now = DateTimeOffset.UtcNow;
        var round = await BenchBrowser.ReadAsync(await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = now.ToOffset(TimeSpan.FromHours(7)).Year,
            name = "Đo tải khảo sát " + Guid.NewGuid().ToString("N")[..6],
            criteriaSetId = DepartmentSetCurrentYear,
            rankingGroup = "bench-" + Guid.NewGuid().ToString("N")[..8],
            windows = new
            {
                selfAssessmentOpensAt = now.AddDays(-1), selfAssessmentClosesAt = now.AddDays(1),
                appraisalOpensAt = now.AddDays(1), appraisalClosesAt = now.AddDays(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = now.AddDays(1), publicationAt = now.AddDays(3),
            },
        }, Json));
        var roundId = round.GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units", new { unitIds = Departments }, Json)).EnsureSuccessStatusCode();

        var set = await BenchBrowser.ReadAsync(await admin.GetAsync($"/api/criteria/sets/{DepartmentSetCurrentYear}"));
        var surveyLeaves = CriteriaJson.Leaves(set.GetProperty("definition").GetProperty("fields"))
            .Where(node => node.GetProperty("method").GetString() == "Survey")
            .Select(node => node.GetProperty("code").GetString()!).ToArray();
        var questions = surveyLeaves.Select((code, i) => new
        {
            code = $"Q{i + 1}", text = $"Câu hỏi {i + 1} về tiêu chí {code}", subCriterionCode = code,
            options = new[]
            {
                new { code = "A", label = "Rất hài lòng", percent = 100 }, new { code = "B", label = "Hài lòng", percent = 75 },
                new { code = "C", label = "Bình thường", percent = 50 }, new { code = "D", label = "Không hài lòng", percent = 0 },
            },
        }).ToArray();
        var created = await BenchBrowser.ReadAsync(await operatorClient.PostAsJsonAsync("/api/survey/questionnaires", new
        {
            roundId, respondentGroup = "citizens", title = "Phiếu khảo sát sự hài lòng của người dân, tổ chức (đo tải)", questions,
        }, Json));
        var id = created.GetProperty("id").GetGuid();
        (await operatorClient.PostAsync($"/api/survey/questionnaires/{id}/publish", null)).EnsureSuccessStatusCode();
        return new QuestionnaireInfo(id, questions.Select(q => q.code).ToArray());
    }

    private static object Response(QuestionnaireInfo questionnaire, string id, int i) => new
    {
        responseId = id,
        questionnaireId = questionnaire.Id,
        unitId = Departments[i % Departments.Length],
        answers = questionnaire.Questions.Select((code, k) => new { question = code, option = "ABCD"[(i + k) % 4].ToString() }).ToArray(),
    };

    private static async Task<(long Accepted, long Stored)> StatusAsync(HttpClient operatorClient)
    {
        var status = await BenchBrowser.ReadAsync(await operatorClient.GetAsync("/api/survey/ops/intake"));
        return (status.GetProperty("accepted").GetInt64(), status.GetProperty("stored").GetInt64());
    }

    private static HttpClient Client(Uri gateway, string token)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record QuestionnaireInfo(Guid Id, string[] Questions);
}
