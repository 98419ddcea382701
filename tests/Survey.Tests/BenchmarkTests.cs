using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Intake;
using Xunit.Abstractions;

namespace ParPlatform.Survey.Tests;

/// <summary>Runs only when asked: <c>SURVEY_BENCHMARK=1 dotnet test tests/Survey.Tests --filter Category=Benchmark</c>.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SURVEY_BENCHMARK") != "1")
        {
            Skip = "Benchmark: set SURVEY_BENCHMARK=1 to run.";
        }
    }
}

/// <summary>
/// Intake figures on this machine, in one process with the survey service (API + worker), PostgreSQL and RabbitMQ:
/// (a) batched REST intake to stored-and-aggregated next to (b) raw binary COPY of the same rows, (c) single requests.
/// </summary>
[Collection(SurveyCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class BenchmarkTests(SurveyFixture fixture, ITestOutputHelper output)
{
    private const int BatchedResponses = 50_000;
    private const int SingleRequests = 5_000;

    [BenchmarkFact]
    public async Task Batched_intake_against_raw_copy_and_single_requests()
    {
        // The first round runs on a freshly started service and so includes JIT compilation (tiered up as it goes);
        // SURVEY_BENCHMARK_ROUNDS=2 or more also shows the steady state.
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("SURVEY_BENCHMARK_ROUNDS"), out var asked) ? Math.Max(asked, 1) : 1;
        for (var round = 1; round <= rounds; round++)
        {
            output.WriteLine($"round {round} of {rounds}:");
            await RunAsync();
        }
    }

    private async Task RunAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var items = Enumerable.Range(0, BatchedResponses).Select(i => fixture.Citizen(
            $"bench-{run}-{i}", TestCriteria.Units[i % TestCriteria.Units.Length], "ABCD"[i % 4].ToString(), "ABCD"[i / 4 % 4].ToString(), i % 11)).ToList();
        var batches = new ConcurrentQueue<ResponseInput[]>(items.Chunk(IntakeService.MaxBatch));
        var cpu = ProcessCpu();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.OperatorCaller.Client(fixture.Survey.HttpAddress);
            while (batches.TryDequeue(out var batch))
            {
                (await client.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(batch), SurveyFixture.Json)).EnsureSuccessStatusCode();
            }
        })));
        var accepted = clock.Elapsed;
        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync($"bench-{run}-") == BatchedResponses, TimeSpan.FromMinutes(5));
        var batched = BatchedResponses / clock.Elapsed.TotalSeconds;
        var batchedCpu = ProcessCpu() - cpu;
        output.WriteLine($"(a) batched intake: {BatchedResponses} accepted in {accepted.TotalSeconds:F1} s, stored and aggregated in {clock.Elapsed.TotalSeconds:F1} s = {batched:F0} responses/s");
        output.WriteLine($"    test process CPU (clients, survey API and worker): {1000 * batchedCpu.TotalMilliseconds / BatchedResponses:F0} µs per response");

        var copy = await SurveyRawCopy.RunAsync(fixture.Database, $"bench-{run}-");
        output.WriteLine($"(b) raw binary COPY of the same rows: {copy.RowsPerSecond:F0} rows/s, {copy.BackendCpuMicrosecondsPerRow:F1} µs backend CPU per row; " +
            $"(a) is {100 * batched / copy.RowsPerSecond:F0} % of (b)");

        var latencies = new ConcurrentBag<double>();
        var next = -1;
        cpu = ProcessCpu();
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.OperatorCaller.Client(fixture.Survey.HttpAddress);
            for (var i = Interlocked.Increment(ref next); i < SingleRequests; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var reply = await client.PostAsJsonAsync("/api/survey/responses", fixture.Citizen($"single-{run}-{i}", TestCriteria.Units[i % 6]), SurveyFixture.Json);
                Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var singleCpu = ProcessCpu() - cpu;
        var sorted = latencies.Order().ToList();
        output.WriteLine($"(c) single requests (64 concurrent clients): {SingleRequests / clock.Elapsed.TotalSeconds:F0} requests/s, " +
            $"p50 {sorted[sorted.Count / 2]:F1} ms, p99 {sorted[sorted.Count * 99 / 100]:F1} ms");
        output.WriteLine($"    test process CPU (clients and survey API, worker storing alongside): {1000 * singleCpu.TotalMilliseconds / SingleRequests:F0} µs per request");
    }

    // The machine is shared and noisy: CPU time per response varies far less than throughput does.
    private static TimeSpan ProcessCpu() => Process.GetCurrentProcess().TotalProcessorTime;
}
