using System.Diagnostics.Metrics;
using ParPlatform.ServiceDefaults;

namespace ParPlatform.Survey.Intake;

/// <summary>Intake counters, exported with the platform's meter (OTLP when configured).</summary>
internal static class SurveyMetrics
{
    public static readonly Counter<long> Accepted = PlatformTelemetry.Meter.CreateCounter<long>("par.survey.responses.accepted");
    public static readonly Counter<long> Duplicate = PlatformTelemetry.Meter.CreateCounter<long>("par.survey.responses.duplicate");
    public static readonly Counter<long> Rejected = PlatformTelemetry.Meter.CreateCounter<long>("par.survey.responses.rejected");
    public static readonly Counter<long> Stored = PlatformTelemetry.Meter.CreateCounter<long>("par.survey.responses.stored");
    public static readonly Counter<long> DeadLettered = PlatformTelemetry.Meter.CreateCounter<long>("par.survey.responses.dead_lettered");

    public static void Count(IEnumerable<ItemResult> results, string channel)
    {
        var tag = new KeyValuePair<string, object?>("channel", channel);
        foreach (var result in results)
        {
            switch (result.Outcome)
            {
                case Outcomes.Accepted: Accepted.Add(1, tag); break;
                case Outcomes.Duplicate: Duplicate.Add(1, tag); break;
                default: Rejected.Add(1, tag, new KeyValuePair<string, object?>("reason", result.Reason)); break;
            }
        }
    }
}
