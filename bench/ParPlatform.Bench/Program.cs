using ParPlatform.Bench;
using ParPlatform.Testing;

// Benchmarks against the whole platform. Each scenario prints one line per measurement; figures go to the README.
var scenarios = new Dictionary<string, Func<BenchContext, Task>>
{
    ["gateway-rest"] = GatewayScenarios.RestInfoAsync,
    ["gateway-vs-nginx"] = GatewayScenarios.VersusNginxAsync,
    ["criteria-read"] = CriteriaScenarios.ReadPublishedSetAsync,
    ["survey-intake"] = SurveyScenarios.IntakeAsync,
    ["survey-batch-hop"] = SurveyScenarios.BatchHopAsync,
    ["console-scorecard"] = ConsoleScenarios.ScorecardAsync,
    ["console-ranking"] = RankingScenarios.LivePageAsync,
};

if (args.Length == 0 || args[0] is "list" or "--help" or "-h" || !scenarios.ContainsKey(args[0]))
{
    Console.WriteLine($"Usage: bench.sh <scenario> [--duration SECONDS] [--survey-workers N] [--survey-apis N] [--trace-sampling RATIO]\nScenarios: {string.Join(", ", scenarios.Keys)}");
    return args.Length == 0 || args[0] is "list" or "--help" or "-h" ? 0 : 2;
}

var duration = TimeSpan.FromSeconds(args.SkipWhile(arg => arg != "--duration").Skip(1).Select(int.Parse).FirstOrDefault(10));
var surveyWorkers = args.SkipWhile(arg => arg != "--survey-workers").Skip(1).Select(int.Parse).FirstOrDefault(1);
var surveyApis = args.SkipWhile(arg => arg != "--survey-apis").Skip(1).Select(int.Parse).FirstOrDefault(1);
// The share of requests traced (the AppHost's --trace-sampling; default every request, as the dashboard shows them).
var traceSampling = args.SkipWhile(arg => arg != "--trace-sampling").Skip(1).FirstOrDefault();
var folder = TestInfrastructure.NewRunFolder();
Console.WriteLine($"bench: starting the platform in {folder} ...");
// The gateway's hop is measured with one person's token in a closed loop, which would meet that person's quota
// (100 requests/s) rather than the gateway's capacity: those scenarios lift every quota. The others run with the
// gateway's default configuration (a survey partner's and an operator's quotas as shipped).
var liftQuotas = args[0] is "gateway-rest" or "gateway-vs-nginx" or "criteria-read";
await using var app = await AppHostRun.StartAsync(Path.Combine(folder, "apphost"), false,
    [.. liftQuotas ? new[] { "--gateway-rate-limit", "1000000" } : [], "--survey-workers", surveyWorkers.ToString(),
     "--survey-apis", surveyApis.ToString(), .. traceSampling is null ? [] : new[] { "--trace-sampling", traceSampling }]);
Console.WriteLine($"bench: platform up; gateway {app.GatewayHttp} / {app.GatewayGrpc}; {Environment.ProcessorCount} cores; " +
    $"traces recorded: {traceSampling ?? "all"}; gateway quotas: {(liftQuotas ? "lifted" : "as configured")}");
CpuMeter.MeasureInfrastructureOf(app.ResourcePid("postgres"), app.ResourcePid("messaging"));
await scenarios[args[0]](new BenchContext(app, duration, surveyWorkers, surveyApis));
return 0;

namespace ParPlatform.Bench
{
    public sealed record BenchContext(AppHostRun App, TimeSpan Duration, int SurveyWorkers, int SurveyApis)
    {
        /// <summary>Every survey process: the API(s) and the workers, as the AppHost names them.</summary>
        public string[] SurveyProcesses =>
            ["survey", .. Enumerable.Range(2, SurveyApis - 1).Select(i => $"survey-api-{i}"), .. Enumerable.Range(1, SurveyWorkers).Select(i => $"survey-worker-{i}")];

        /// <summary>The process ids of the named resources, for CPU per operation.</summary>
        public IReadOnlyDictionary<string, int> Pids(params string[] resources) =>
            resources.ToDictionary(resource => resource, App.ResourcePid);
    }
}
