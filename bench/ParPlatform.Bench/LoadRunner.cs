using System.Diagnostics;

namespace ParPlatform.Bench;

/// <summary>Result of one closed-loop load run: throughput and latency percentiles.</summary>
public sealed record LoadResult(string Name, int Concurrency, long Operations, long Errors, TimeSpan Elapsed, double P50Ms, double P95Ms, double P99Ms)
{
    public string? Cpu { get; init; }

    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public override string ToString() =>
        $"{Name,-40} {PerSecond,10:N0} ops/s  p50 {P50Ms,7:N2} ms  p95 {P95Ms,7:N2} ms  p99 {P99Ms,7:N2} ms  " +
        $"({Operations:N0} ops, {Errors} errors, {Concurrency} in flight, {Elapsed.TotalSeconds:N1} s)" +
        (Cpu is null ? "" : $"{Environment.NewLine}{"",-40} {Cpu}");
}

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each run the operation back to back for the duration,
/// after a warm-up (8 s: the JIT keeps re-compiling hot paths for the first seconds under load). Bounded in time and count, against loopback addresses only.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        string name, int concurrency, TimeSpan duration, Func<Task> operation, TimeSpan? warmUp = null, IReadOnlyDictionary<string, int>? cpuOf = null,
        bool cpuOfInfrastructure = false)
    {
        var warmUpUntil = Stopwatch.GetTimestamp() + (long)((warmUp ?? TimeSpan.FromSeconds(8)).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < warmUpUntil)
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => operation()));
        }

        var cpu = cpuOf is null ? null : cpuOfInfrastructure ? CpuMeter.StartWithInfrastructure(cpuOf) : CpuMeter.Start(cpuOf);
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
        return new LoadResult(name, concurrency, all.Length, errors, elapsed, Percentile(0.50), Percentile(0.95), Percentile(0.99))
        {
            Cpu = cpu?.PerOperation(all.Length),
        };
    }
}

/// <summary>
/// CPU time that processes spent during a run, from /proc: what a hop costs per request whatever else shares the
/// cores, which is the figure that carries over to a machine where the gateway has cores of its own.
/// </summary>
public sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly IReadOnlyDictionary<string, Func<double>> _samplers;
    private readonly Dictionary<string, double> _start;

    private CpuMeter(IReadOnlyDictionary<string, Func<double>> samplers)
    {
        _samplers = samplers;
        _start = samplers.ToDictionary(sampler => sampler.Key, sampler => sampler.Value());
    }

    /// <param name="commands">Also every process of each of these names (e.g. "nginx": its master and workers).</param>
    public static CpuMeter Start(IReadOnlyDictionary<string, int> pids, params string[] commands) =>
        new(pids.ToDictionary(pid => pid.Key, pid => (Func<double>)(() => Seconds(pid.Value)))
            .Concat(commands.ToDictionary(command => command, command => (Func<double>)(() => SecondsOfAll(command))))
            .ToDictionary());

    private static (int Postgres, int Broker)? _infrastructure;

    /// <summary>The platform's PostgreSQL server and RabbitMQ node (set once it is up): their process trees are what
    /// <see cref="StartWithInfrastructure"/> counts, not every process of that name on the machine, which may run a
    /// second platform (a test run, another benchmark) beside this one.</summary>
    public static void MeasureInfrastructureOf(int postgres, int broker) => _infrastructure = (postgres, broker);

    /// <summary>Also PostgreSQL (every backend), RabbitMQ and this benchmark process: where a whole pipeline's CPU goes.</summary>
    /// <param name="browsers">Also the benchmark's chromium processes: in real use the officials' own computers,
    /// here the same two cores as the platform, so their share shows what the server side did not get.</param>
    public static CpuMeter StartWithInfrastructure(IReadOnlyDictionary<string, int> pids, bool browsers = false)
    {
        var (postgres, broker) = _infrastructure ?? throw new InvalidOperationException("MeasureInfrastructureOf was not called.");
        var samplers = pids.ToDictionary(pid => pid.Key, pid => (Func<double>)(() => Seconds(pid.Value)));
        samplers["postgres"] = () => SecondsOfTree(postgres, _ => true);
        samplers["rabbitmq"] = () => SecondsOfTree(broker, _ => true);
        samplers["bench"] = () => Seconds(Environment.ProcessId);
        if (browsers)
        {
            samplers["chromium"] = () => SecondsOfTree(Environment.ProcessId, command => command is "chromium" or "chrome");
        }
        return new CpuMeter(samplers);
    }

    /// <summary>CPU seconds each process spent since the start.</summary>
    public IReadOnlyDictionary<string, double> Sample() =>
        _samplers.ToDictionary(sampler => sampler.Key, sampler => sampler.Value() - _start[sampler.Key]);

    /// <summary>"gateway 61 µs, criteria 120 µs CPU per operation; the platform 181 µs": the platform is every process
    /// but the clients (the benchmark itself, the browsers).</summary>
    public string PerOperation(long operations)
    {
        var spent = Sample();
        double PerOperation(double seconds) => seconds * 1e6 / Math.Max(1, operations);
        var platform = spent.Where(process => process.Key is not ("bench" or "chromium")).Sum(process => process.Value);
        return string.Join(", ", spent.Select(process => $"{process.Key} {PerOperation(process.Value),5:N0} µs")) +
            $" CPU per operation; the platform {PerOperation(platform):N0} µs";
    }

    private static double Seconds(int pid)
    {
        try
        {
            // Fields 14 and 15 (utime, stime) after the parenthesised command name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0; // a process that ended in between (a PostgreSQL backend closing)
        }
    }

    // Every process of that name on the machine (nginx started by the benchmark: the only one running).
    private static double SecondsOfAll(string command) =>
        Processes().Where(process => process.Command == command).Sum(process => Seconds(process.Pid));

    // The root and every process below it whose command name is wanted. A process that ended since the start takes
    // its time with it (a PostgreSQL backend closing): the pools keep theirs open during a run.
    private static double SecondsOfTree(int root, Func<string, bool> wanted)
    {
        var processes = Processes().ToList();
        var children = processes.ToLookup(process => process.Parent);
        var total = 0.0;
        var pending = new Stack<(int Pid, string Command)>();
        pending.Push((root, processes.FirstOrDefault(process => process.Pid == root).Command ?? ""));
        while (pending.TryPop(out var process))
        {
            total += wanted(process.Command) ? Seconds(process.Pid) : 0;
            foreach (var child in children[process.Pid])
            {
                pending.Push((child.Pid, child.Command));
            }
        }
        return total;
    }

    private static IEnumerable<(int Pid, int Parent, string Command)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText($"{directory}/stat");
            }
            catch (IOException)
            {
                continue; // ended in between
            }
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var parent = int.Parse(stat[(close + 2)..].Split(' ')[1]);
            yield return (pid, parent, stat[(open + 1)..close]);
        }
    }
}
