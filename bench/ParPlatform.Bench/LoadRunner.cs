using System.Diagnostics;

namespace ParPlatform.Bench;

/// <summary>Result of one closed-loop load run: throughput and latency percentiles.</summary>
public sealed record LoadResult(string Name, int Concurrency, long Operations, long Errors, TimeSpan Elapsed, double P50Ms, double P95Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public override string ToString() =>
        $"{Name,-40} {PerSecond,10:N0} ops/s  p50 {P50Ms,7:N2} ms  p95 {P95Ms,7:N2} ms  p99 {P99Ms,7:N2} ms  " +
        $"({Operations:N0} ops, {Errors} errors, {Concurrency} in flight, {Elapsed.TotalSeconds:N1} s)";
}

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each run the operation back to back for the duration,
/// after a warm-up. Bounded in time and count, against loopback addresses only.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan duration, Func<Task> operation, TimeSpan? warmUp = null)
    {
        var warmUpUntil = Stopwatch.GetTimestamp() + (long)((warmUp ?? TimeSpan.FromSeconds(2)).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < warmUpUntil)
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => operation()));
        }

        var latencies = new List<double>[concurrency];
        long errors = 0;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await operation();
                    mine.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                }
                catch
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(list => list).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new LoadResult(name, concurrency, all.Length, errors, elapsed, Percentile(0.50), Percentile(0.95), Percentile(0.99));
    }
}
