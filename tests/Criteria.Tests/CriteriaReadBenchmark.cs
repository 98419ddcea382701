using System.Diagnostics;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;
using Xunit.Abstractions;
using V1 = ParPlatform.Contracts.Criteria.V1;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

/// <summary>Runs only with PAR_BENCH=1: a measurement, not a pass/fail test of speed.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PAR_BENCH") != "1")
        {
            Skip = "Benchmark: set PAR_BENCH=1 to run.";
        }
    }
}

/// <summary>
/// Issue 3's target: reads of a published 100-sub-criterion set by id over gRPC. By default against the test's own
/// service host; with PAR_BENCH_HTTP and PAR_BENCH_GRPC (e.g. the gateway's two ports while the AppHost runs) against
/// a running platform. Tunables: PAR_BENCH_SECONDS (10), PAR_BENCH_CONCURRENCY (32).
/// </summary>
[Collection(CriteriaServiceCollection.Name)]
[Trait("Category", "Benchmark")]
public class CriteriaReadBenchmark(CriteriaServiceFixture fixture, ITestOutputHelper output)
{
    private static readonly TestCaller Admin = new("bench-admin", PlatformRoles.ProvincialAdmin, "bench-province");

    [BenchmarkFact]
    public async Task Published_100_sub_criterion_set_by_id_over_grpc()
    {
        var http = Environment.GetEnvironmentVariable("PAR_BENCH_HTTP") is { Length: > 0 } h ? new Uri(h) : fixture.Host.HttpAddress;
        var grpcAddress = Environment.GetEnvironmentVariable("PAR_BENCH_GRPC") is { Length: > 0 } g ? new Uri(g) : fixture.Host.GrpcAddress;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("PAR_BENCH_SECONDS"), out var s) ? s : 10;
        var concurrency = int.TryParse(Environment.GetEnvironmentVariable("PAR_BENCH_CONCURRENCY"), out var c) ? c : 32;

        var client = Admin.Client(http);
        var created = await (await client.PostJsonAsync("/api/criteria/sets", HundredSubCriteria($"BENCH-{Guid.NewGuid():N}"[..14]))).ReadAsync<CriteriaSet>();
        await (await client.PostAsync($"/api/criteria/sets/{created.Id}/publish", null)).ReadAsync<CriteriaSet>();

        using var channel = GrpcChannel.ForAddress(grpcAddress);
        var grpc = new V1.CriteriaService.CriteriaServiceClient(channel);
        var request = new V1.GetCriteriaSetRequest { SetId = created.Id.ToString() };
        var headers = Admin.GrpcHeaders();
        var warm = await grpc.GetCriteriaSetAsync(request, headers);
        Assert.Equal(100, warm.Fields.SelectMany(f => f.Children).SelectMany(cr => cr.Children).Count());

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Loop(grpc, request, headers, stop.Token, null)));
        var latencies = Enumerable.Range(0, concurrency).Select(_ => new List<double>()).ToArray();
        using var measure = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(latencies.Select(list => Loop(grpc, request, headers, measure.Token, list)));
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var all = latencies.SelectMany(list => list).Order().ToArray();
        var perSecond = all.Length / clock.Elapsed.TotalSeconds;
        var report = $"GetCriteriaSet (100 sub-criteria, {warm.CalculateSize()} bytes) against {grpcAddress}: {all.Length} reads in " +
                     $"{clock.Elapsed.TotalSeconds:F1} s = {perSecond:F0} reads/s with {concurrency} concurrent callers on " +
                     $"{Environment.ProcessorCount} cores; latency p50 {all[all.Length / 2]:F2} ms, p99 {all[(int)(all.Length * 0.99)]:F2} ms; " +
                     // Load-independent view: CPU of this process (client and, when in-process, server) per read.
                     $"{cpu.TotalMilliseconds / all.Length:F3} CPU-ms per read in this process " +
                     $"(= {all.Length / cpu.TotalSeconds * Environment.ProcessorCount:F0} reads/s if it had every core); " +
                     $"machine load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";
        // What the message alone costs: one serialisation (server) and one parse (client) per read.
        var marshal = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++) V1.CriteriaSet.Parser.ParseFrom(warm.ToByteArray());
        report += $"; protobuf serialise+parse of the set {marshal.Elapsed.TotalMilliseconds / 2000:F3} ms";
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "criteria-read-benchmark.txt"), report + Environment.NewLine);
    }

    private static async Task Loop(V1.CriteriaService.CriteriaServiceClient grpc, V1.GetCriteriaSetRequest request, global::Grpc.Core.Metadata headers, CancellationToken stop, List<double>? latencies)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            await grpc.GetCriteriaSetAsync(request, headers);
            latencies?.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>
    /// 8 fields x 3 criteria x 4-5 sub-criteria = 100 sub-criteria: 85 appraised (45 x 1 + 40 x 0.5 = 65 points) and
    /// 15 survey-scored (5 x 3 + 10 x 2 = 35 points).
    /// </summary>
    public static CriteriaSetDefinition HundredSubCriteria(string code)
    {
        int appraised = 0, survey = 0;
        CriteriaNode Sub(string id, bool bySurvey)
        {
            var points = bySurvey ? (survey++ < 5 ? 3m : 2m) : (appraised++ < 45 ? 1m : 0.5m);
            return new CriteriaNode(id, $"Tiêu chí thành phần {id}", points, Method: bySurvey ? ScoringMethod.Survey : ScoringMethod.Appraised,
                EvidenceRequired: !bySurvey, Guidance: "Chấm theo mức độ đạt được, căn cứ tài liệu kiểm chứng.",
                Rule: bySurvey ? null : new ScoringRule([new("Đạt", points), new("Không đạt", 0)]));
        }
        static CriteriaNode Parent(string id, string name, List<CriteriaNode> children) => new(id, name, children.Sum(c => c.MaxPoints), Children: children);

        var fields = Enumerable.Range(1, 8).Select(f => Parent($"{f}", $"Lĩnh vực {f}", Enumerable.Range(1, 3).Select(k =>
        {
            var count = (f - 1) * 3 + k > 20 ? 5 : 4; // the last four criteria have five sub-criteria: 20 x 4 + 4 x 5 = 100
            return Parent($"{f}.{k}", $"Tiêu chí {f}.{k}", Enumerable.Range(1, count).Select(i => Sub($"{f}.{k}.{i}", f == 8)).ToList());
        }).ToList())).ToList();
        return Tree.Normalize(new CriteriaSetDefinition(code, "Bộ tiêu chí đo tải: 100 tiêu chí thành phần", 2030, EvaluatedLevel.Department, 100, 65, 35,
            [new("Tốt", 90), new("Khá", 80), new("Trung bình", 65), new("Yếu", 50), new("Kém", 0)], fields));
    }
}
