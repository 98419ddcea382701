using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults;

/// <summary>The platform's own activity source and meter, exported alongside the framework instrumentation.</summary>
public static class PlatformTelemetry
{
    public const string ActivitySourceName = "ParPlatform";
    public const string MeterName = "ParPlatform";
    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    public static readonly Meter Meter = new(MeterName);
}
