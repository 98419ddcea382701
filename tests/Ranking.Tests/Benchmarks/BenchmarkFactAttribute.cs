namespace ParPlatform.Ranking.Tests.Benchmarks;

/// <summary>A fact that runs only when <c>PAR_BENCH=1</c>: timings belong in a benchmark run, not in every test run.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PAR_BENCH") != "1")
        {
            Skip = "Benchmark: run with PAR_BENCH=1.";
        }
    }
}
