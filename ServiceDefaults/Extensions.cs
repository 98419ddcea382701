using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Problems;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one set of defaults every ParPlatform process uses, in the shape of .NET Aspire's ServiceDefaults:
/// OpenTelemetry, health checks, service discovery, resilient HttpClients and ProblemDetails.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        // Four Information lines for every outgoing call (HttpClient's start/send/receive/end and Polly's attempt):
        // on a page that reads five services that is twenty log records to format and ship per page opened. The
        // traces carry each call already; warnings (a retry, a failure) still log. A service's appsettings may say otherwise.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.AddDefaultHealthChecks();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = PlatformProblems.Customize);
        // A rule refused the request deep in a call chain: the one exception, answered by the one handler.
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Bind failures throw in every environment (not only in Development), so the exception handler below can
        // answer them with a ProblemDetails that names the problem instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // A request the server cannot take is the client's error, not ours: malformed or absurdly nested JSON
        // (Minimal APIs throw BadHttpRequestException where ThrowOnBadRequest is on, as in Development) and text the
        // database cannot hold (a NUL character) are 400, never 500.
        builder.Services.Configure<ExceptionHandlerOptions>(options =>
        {
            options.StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            };
            // A client's malformed request, or one a rule refused, is not a server error to log as one.
            options.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException or ProblemException or UnauthorizedAccessException;
        });
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // gRPC clients opt out of this (see AddGrpcServiceClient): the standard handler ignores gRPC status
            // codes and its timeouts would cut long streams.
            // Only reads are retried: a POST whose answer was lost (an attempt timed out, a 503 from the gateway) may
            // have been done, and doing it again is the caller's decision, not a transport's.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(PlatformTelemetry.MeterName)
                .AddNpgsqlInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit")
                .AddSource(PlatformTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthPath) &&
                        !context.Request.Path.StartsWithSegments(AlivePath))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        // Export only where a collector is configured (Aspire sets OTEL_EXPORTER_OTLP_ENDPOINT for its dashboard).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        else
        {
            // With nowhere to send spans, recording them is pure cost (a fifth of the gateway's CPU per request,
            // measured): spans are still created, so trace context and ids flow through every hop, but not recorded.
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOffSampler()));
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (ready: every check, database and broker included) and <c>/alive</c> (live: the process answers).
    /// Mapped in every environment, unlike Aspire's template, so Kubernetes probes work in production too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Unhandled exceptions and bare status codes leave as RFC 7807 ProblemDetails.
        app.UseProblemJsonCharset();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseTenantScope();

        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .DisableHttpMetrics();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) })
            .DisableHttpMetrics();
        return app;
    }
}
