using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Dapper;
using ParPlatform.Contracts;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Intake;
using Xunit.Abstractions;

namespace ParPlatform.Survey.Tests;

/// <summary>
/// The fault test at full size: 100,000 distinct responses with 10 % identical retries and 1 % conflicting
/// copies mixed in (111,000 sent); a separate worker process (a resource of the assembly's app model, see
/// <see cref="SpareSurveyWorker"/>) is killed with SIGKILL mid-run and RabbitMQ is stopped and started once. Nothing may be lost or counted twice. About 50 s on two cores.
/// </summary>
[Collection(SurveyCollection.Name)]
public sealed class FaultTests(SurveyFixture fixture, ITestOutputHelper output)
{
    private const int Distinct = 100_000;
    private const int BatchSize = 250;
    private const int Senders = 4;

    [Fact]
    public async Task Killed_worker_and_restarted_broker_lose_nothing_and_store_nothing_twice()
    {
        var items = Workload();
        var batches = new ConcurrentQueue<ResponseInput[]>(items.Chunk(BatchSize));
        var total = batches.Count;
        var outcomes = new ConcurrentBag<ItemResult>();
        await SpareSurveyWorker.StartAsync(fixture);
        var clock = Stopwatch.StartNew();

        var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.OperatorCaller.Client(fixture.Survey.HttpAddress);
            client.Timeout = TimeSpan.FromSeconds(60);
            while (batches.TryDequeue(out var batch))
            {
                foreach (var item in await SendUntilDurableAsync(client, batch))
                {
                    outcomes.Add(item);
                }
            }
        })).ToList();

        await Eventually.TrueAsync(() => Task.FromResult(batches.Count < total * 3 / 4), TimeSpan.FromSeconds(60));
        Process.GetProcessById(fixture.Infrastructure.ResourcePid(SpareSurveyWorker.Name)).Kill(); // SIGKILL
        output.WriteLine($"worker killed after {clock.Elapsed.TotalSeconds:F1} s");
        await Eventually.TrueAsync(() => Task.FromResult(batches.Count < total / 2), TimeSpan.FromSeconds(60));
        using (var restart = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await fixture.Infrastructure.StopResourceAsync(ResourceNames.Messaging, restart.Token);
            await fixture.Infrastructure.StartResourceAsync(ResourceNames.Messaging, restart.Token);
        }
        output.WriteLine($"broker restarted after {clock.Elapsed.TotalSeconds:F1} s");

        await Task.WhenAll(senders);
        var sent = clock.Elapsed;
        await fixture.DrainedAsync();
        output.WriteLine($"{items.Count} sent in {sent.TotalSeconds:F1} s, all stored after {clock.Elapsed.TotalSeconds:F1} s " +
            $"({Distinct / clock.Elapsed.TotalSeconds:F0} distinct responses/s stored and aggregated)");

        var acceptedIds = outcomes.Where(o => o.Outcome != Outcomes.Rejected).Select(o => o.ResponseId).Distinct().Count();
        Assert.Equal(Distinct, acceptedIds);
        Assert.All(outcomes.Where(o => o.Outcome == Outcomes.Rejected), o => Assert.Equal(Reasons.Conflict, o.Reason));
        Assert.Equal(Distinct, await fixture.StoredCountAsync("fault-"));

        await using var connection = await fixture.Database.OpenConnectionAsync();
        var mismatched = await connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM intake_receipts r JOIN responses s USING (tenant_id, response_id)
            WHERE r.response_id LIKE 'fault-%' AND r.content_hash <> s.content_hash
            """);
        output.WriteLine($"stored content differing from the receipt's: {mismatched}");
        const string Stored = "SELECT unit_id, questionnaire_id, sub_criterion_code, responses, answers, score_sum FROM answer_aggregates";
        const string Recomputed =
            """
            SELECT r.unit_id, r.questionnaire_id, s.code, count(DISTINCT r.response_id), count(*), sum(s.score)
            FROM responses r CROSS JOIN LATERAL unnest(r.sub_criteria, r.scores) AS s(code, score)
            GROUP BY r.unit_id, r.questionnaire_id, s.code
            """;
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM (({Stored} EXCEPT {Recomputed}) UNION ALL ({Recomputed} EXCEPT {Stored})) d"));
    }

    /// <summary>20,000 responses, 2,000 identical copies and 200 conflicting ones, in a fixed shuffled order.</summary>
    private List<ResponseInput> Workload()
    {
        // Citizens (A-D and 0-10) and civil servants (A-D next to 1-10, 0-1000 and half-step scales: scores such as
        // 7/9, whose running sums once outgrew a decimal after about 8).
        var originals = Enumerable.Range(0, Distinct).Select(i =>
        {
            var (id, unit) = ($"fault-{i:D6}", TestCriteria.Units[i % TestCriteria.Units.Length]);
            return i % 3 == 0
                ? fixture.Citizen(id, unit, "ABCD"[i % 4].ToString(), "ABCD"[i / 4 % 4].ToString(), i % 2 == 0 ? i % 11 : null)
                : fixture.CivilServant(id, unit, "ABCD"[i / 3 % 4].ToString(), 1 + i % 10, i % 4 == 0 ? i % 1001 : null, i % 5 == 0 ? null : 1 + i % 9 * 0.5m);
        }).ToList();
        var copies = originals.Where((_, i) => i % 10 == 0);
        var conflicts = originals.Where((_, i) => i % 100 == 7).Select(o => o with
        {
            Answers = o.QuestionnaireId == fixture.Citizens
                ? [new AnswerInput("Q1", "D"), new AnswerInput("Q2", "D")]
                : [new AnswerInput("M1", "D"), new AnswerInput("M2", Value: 1)],
        });
        var random = new Random(2026);
        return [.. originals.Concat(copies).Concat(conflicts).OrderBy(_ => random.Next())];
    }

    /// <summary>Retries a batch until the service answers 200: while the broker is down nothing is accepted.</summary>
    private static async Task<IReadOnlyList<ItemResult>> SendUntilDurableAsync(HttpClient client, ResponseInput[] batch)
    {
        while (true)
        {
            try
            {
                var reply = await client.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(batch), SurveyFixture.Json);
                if (reply.StatusCode == HttpStatusCode.OK)
                {
                    return (await reply.Content.ReadFromJsonAsync<BatchResult>(SurveyFixture.Json))!.Items;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
    }
}

/// <summary>
/// A second survey process in Worker mode, competing on the queue with the fixture's own worker: an executable resource
/// of the assembly's app model (so DCP owns it and stops it with the test host), started only when a test asks.
/// </summary>
public static class SpareSurveyWorker
{
    public const string Name = "survey-spare-worker";
    private static readonly Dictionary<string, string> Settings = [];

    public static void Declare(IDistributedApplicationBuilder builder)
    {
        var program = Path.Combine(AppHostRun.RepositoryRoot, "services", "Survey", "bin", AppHostRun.BuildConfiguration, "net10.0", "ParPlatform.Survey.dll");
        var worker = builder.AddExecutable(Name, "dotnet", Path.GetDirectoryName(program)!, program)
            .WithEndpoint(name: ResourceNames.HttpEndpoint, scheme: "http", env: "PAR_HTTP_PORT", isProxied: false)
            .WithEndpoint(name: ResourceNames.GrpcEndpoint, scheme: "http", env: "PAR_GRPC_PORT", isProxied: false)
            .WithHttpHealthCheck("/health", endpointName: ResourceNames.HttpEndpoint)
            .WithExplicitStart();
        worker
            .WithEnvironment("Kestrel__Endpoints__http__Url", ReferenceExpression.Create(
                $"http://127.0.0.1:{worker.GetEndpoint(ResourceNames.HttpEndpoint).Property(EndpointProperty.Port)}"))
            .WithEnvironment("Kestrel__Endpoints__grpc__Url", ReferenceExpression.Create(
                $"http://127.0.0.1:{worker.GetEndpoint(ResourceNames.GrpcEndpoint).Property(EndpointProperty.Port)}"))
            // What the fixture knows only once it runs (its database, the criteria stand-in), read when the worker starts.
            .WithEnvironment(context =>
            {
                foreach (var (key, value) in Settings)
                {
                    context.EnvironmentVariables[key] = value;
                }
            });
    }

    public static async Task StartAsync(SurveyFixture fixture)
    {
        Settings["Survey__Mode"] = "Worker";
        Settings[$"ConnectionStrings__{ResourceNames.SurveyDb}"] = fixture.Survey.DatabaseConnectionString;
        Settings[$"ConnectionStrings__{ResourceNames.Messaging}"] = fixture.Infrastructure.MessagingConnectionString;
        Settings[$"services__{ResourceNames.Criteria}__grpc__0"] = fixture.Criteria.Address.ToString();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.Infrastructure.StartResourceAsync(Name, timeout.Token);
    }
}
