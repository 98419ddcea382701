namespace ParPlatform.AppHost;

/// <summary>Command-line options of the AppHost (and of tests that run the app model).</summary>
public sealed record AppHostOptions
{
    public string? StateFolder { get; init; }
    public bool Fresh { get; init; }
    public bool Throwaway { get; init; }
    public int? GatewayHttpPort { get; init; }
    public int? GatewayGrpcPort { get; init; }
    public int? GatewayRateLimit { get; init; }
    public int SurveyWorkers { get; init; } = 1;
    public int SurveyApis { get; init; } = 1;
    public int? DashboardPort { get; init; }
    public double? TraceSampling { get; init; }

    /// <summary>What is left for Aspire's own configuration (e.g. <c>--AppHost:BrowserToken=...</c>).</summary>
    public string[] AspireArguments { get; init; } = [];

    public const string Usage = """
        Usage: AppHost [--fresh] [--state-dir DIR] [--gateway-http-port N] [--gateway-grpc-port N]
                       [--gateway-rate-limit N] [--survey-workers N] [--survey-apis N] [--dashboard-port N]
                       [--trace-sampling RATIO]
          --fresh               wipe the state folder (databases, broker data, evidence files) before starting
          --state-dir DIR       keep state here instead of .parplatform/ in the repository
          --gateway-http-port   REST port of the gateway (default 8080, or a free port when 8080 is taken)
          --gateway-grpc-port   gRPC port of the gateway (default 8081, or a free port when 8081 is taken)
          --gateway-rate-limit  requests per second for every client at the gateway, whatever its quota
                                (default: the quotas in gateway/appsettings.json; benchmarks raise it)
          --survey-workers N    survey intake worker processes consuming the response queue (default 1)
          --survey-apis N       survey API processes behind the gateway, which spreads requests over them (default 1)
          --dashboard-port N    the Aspire dashboard's port on 127.0.0.1 (default 18888, or a free one)
          --trace-sampling R    share of new traces recorded, 0 to 1 (default 1: every request in the dashboard);
                                a trace started elsewhere keeps its caller's decision
        A port of 0 means any free port.
        """;

    public static AppHostOptions Parse(string[] args)
    {
        var options = new AppHostOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--fresh" => options with { Fresh = true },
                "--throwaway" => options with { Throwaway = true },
                "--state-dir" => options with { StateFolder = Value() },
                "--gateway-http-port" => options with { GatewayHttpPort = int.Parse(Value()) },
                "--gateway-grpc-port" => options with { GatewayGrpcPort = int.Parse(Value()) },
                "--gateway-rate-limit" => options with { GatewayRateLimit = int.Parse(Value()) },
                "--survey-workers" => options with { SurveyWorkers = int.Parse(Value()) },
                "--survey-apis" => options with { SurveyApis = int.Parse(Value()) is var apis and >= 1
                    ? apis : throw new ArgumentException($"--survey-apis takes 1 or more.\n{Usage}") },
                "--dashboard-port" => options with { DashboardPort = int.Parse(Value()) },
                "--trace-sampling" => options with { TraceSampling = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) is var ratio and >= 0 and <= 1
                    ? ratio : throw new ArgumentException($"--trace-sampling takes a ratio from 0 to 1.\n{Usage}") },
                var aspire when aspire.Contains(':') || aspire.Contains('=')
                    => options with { AspireArguments = [.. options.AspireArguments, aspire] },
                "-h" or "--help" => throw new ArgumentException(Usage),
                var unknown => throw new ArgumentException($"Unknown option '{unknown}'.\n{Usage}"),
            };
        }
        return options;
    }
}
