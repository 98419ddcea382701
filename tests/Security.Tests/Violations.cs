using System.Collections.Concurrent;
using System.Text;
using Xunit.Abstractions;

namespace ParPlatform.Security.Tests;

public sealed record Violation(string Call, string Identity, string Outcome, string Body, string Rule)
{
    public override string ToString() => $"{Call} as {Identity}: {Outcome} ({Rule}) {Body}";
}

/// <summary>
/// Every violation of a run, collected across all calls so one failure reports them all. Known ones (holes too big to
/// fix here, each with its reason) are reported but do not fail the run.
/// </summary>
public sealed class Violations
{
    /// <summary>(call contains, identity contains, reason): explicit, specific, and visible in every run's output.</summary>
    public static readonly (string Call, string Identity, string Reason)[] Known =
    [
    ];

    private readonly ConcurrentBag<Violation> _found = [];
    private int _calls;

    public int Calls => _calls;

    public ConcurrentDictionary<string, int> PerIdentity { get; } = new();

    public void Counted() => Interlocked.Increment(ref _calls);

    public void Counted(Identity identity)
    {
        Counted();
        PerIdentity.AddOrUpdate(identity.Name, 1, (_, count) => count + 1);
    }

    public void Add(string call, Identity identity, string outcome, string body, string rule) =>
        _found.Add(new Violation(call, identity.Name, outcome, Trim(body), rule));

    public static string Trim(string body)
    {
        var flat = body.ReplaceLineEndings(" ");
        return flat.Length <= 200 ? flat : flat[..200];
    }

    public void AssertNone(ITestOutputHelper output, string what)
    {
        var all = _found.OrderBy(v => v.Call, StringComparer.Ordinal).ThenBy(v => v.Identity, StringComparer.Ordinal).ToList();
        var known = all.Where(v => Known.Any(k => v.Call.Contains(k.Call, StringComparison.Ordinal) && v.Identity.Contains(k.Identity, StringComparison.Ordinal))).ToList();
        var unexpected = all.Except(known).ToList();
        output.WriteLine($"{what}: {_calls} calls, {unexpected.Count} violations, {known.Count} known (allow-listed).");
        foreach (var violation in known)
        {
            var reason = Known.First(k => violation.Call.Contains(k.Call, StringComparison.Ordinal) && violation.Identity.Contains(k.Identity, StringComparison.Ordinal)).Reason;
            output.WriteLine($"  KNOWN {violation} -- {reason}");
        }
        if (unexpected.Count > 0)
        {
            var report = new StringBuilder($"{unexpected.Count} access-control violations ({what}, {_calls} calls):\n");
            foreach (var violation in unexpected)
            {
                report.Append("  ").AppendLine(violation.ToString());
            }
            Assert.Fail(report.ToString());
        }
    }
}
