using ParPlatform.Bench;
using ParPlatform.Testing;

// Benchmarks against the whole platform. Each scenario prints one line per measurement; figures go to the README.
var scenarios = new Dictionary<string, Func<BenchContext, Task>>
{
    ["gateway-rest"] = GatewayScenarios.RestInfoAsync,
    ["gateway-vs-nginx"] = GatewayScenarios.VersusNginxAsync,
    ["criteria-read"] = CriteriaScenarios.ReadPublishedSetAsync,
    ["survey-intake"] = SurveyScenarios.IntakeAsync,
    ["console-scorecard"] = ConsoleScenarios.ScorecardAsync,
    ["console-ranking"] = RankingScenarios.LivePageAsync,
};

if (args.Length == 0 || args[0] is "list" or "--help" or "-h" || !scenarios.ContainsKey(args[0]))
{
    Console.WriteLine($"Usage: bench.sh <scenario> [--duration SECONDS] [--survey-workers N] [--trace-sampling RATIO]\nScenarios: {string.Join(", ", scenarios.Keys)}");
    return args.Length == 0 || args[0] is "list" or "--help" or "-h" ? 0 : 2;
}

var duration = TimeSpan.FromSeconds(args.SkipWhile(arg => arg != "--duration").Skip(1).Select(int.Parse).FirstOrDefault(10));
var surveyWorkers = args.SkipWhile(arg => arg != "--survey-workers").Skip(1).Select(int.Parse).FirstOrDefault(1);
// The share of requests traced (the AppHost's --trace-sampling; default every request, as the dashboard shows them).
var traceSampling = args.SkipWhile(arg => arg != "--trace-sampling").Skip(1).FirstOrDefault();
var folder = TestInfrastructure.NewRunFolder();
Console.WriteLine($"bench: starting the platform in {folder} ...");
// A closed loop from one client would otherwise meet the gateway's per-client rate limit, not its capacity.
await using var app = await AppHostRun.StartAsync(Path.Combine(folder, "apphost"), false,
    ["--gateway-rate-limit", "1000000", "--survey-workers", surveyWorkers.ToString(), .. traceSampling is null ? [] : new[] { "--trace-sampling", traceSampling }]);
Console.WriteLine($"bench: platform up; gateway {app.GatewayHttp} / {app.GatewayGrpc}; {Environment.ProcessorCount} cores; traces recorded: {traceSampling ?? "all"}");
await scenarios[args[0]](new BenchContext(app, duration, surveyWorkers));
return 0;

namespace ParPlatform.Bench
{
    public sealed record BenchContext(AppHostRun App, TimeSpan Duration, int SurveyWorkers)
    {
        /// <summary>The process ids of the named resources, for CPU per operation.</summary>
        public IReadOnlyDictionary<string, int> Pids(params string[] resources) =>
            resources.ToDictionary(resource => resource, App.ResourcePid);
    }
}
