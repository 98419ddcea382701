using System.Diagnostics.Metrics;
using Dapper;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Survey.Intake;

/// <summary>A condition an operator must act on, with a stable code and Vietnamese text.</summary>
public sealed record IntakeAlarm(string Code, string Title, string Detail);

/// <summary>
/// What <c>GET /api/survey/ops/intake</c> shows. <paramref name="Backlog"/> = accepted - stored; of it,
/// <paramref name="Unaccounted"/> responses were accepted more than <see cref="IntakeMonitor.StoreGrace"/> ago, are
/// not stored and no message waits in the queue for them to be in: they are in the error queue or lost.
/// </summary>
public sealed record IntakeStatus(
    long Accepted, long Stored, long Backlog, long AcceptedLastMinute, long StoredLastMinute, long QueueDepth, long ErrorQueueDepth,
    long Unaccounted = 0, bool Alarm = false, IReadOnlyList<IntakeAlarm>? Alarms = null);

/// <summary>
/// Computes the intake status and raises its alarms: an error queue that is not empty, and accepted responses that
/// stay unstored while nothing waits in the queue (accepted - stored - backlog in the queue != 0). The platform-wide
/// figures are exported as gauges on the platform's meter (<c>par.survey.intake.*</c>), refreshed every 30 s by
/// the API processes, so a monitoring system sees the alarm without anyone opening the endpoint.
/// </summary>
public sealed class IntakeMonitor(TenantDataSource dataSource, IConfiguration configuration, TimeProvider clock)
{
    /// <summary>How long an accepted response may take to be stored before it counts as unaccounted (batches take 250 ms).</summary>
    public static readonly TimeSpan StoreGrace = TimeSpan.FromMinutes(1);

    private static IntakeStatus? _latest;

    static IntakeMonitor()
    {
        PlatformTelemetry.Meter.CreateObservableGauge("par.survey.intake.backlog", () => _latest?.Backlog ?? 0,
            description: "Accepted survey responses not yet stored (all tenants).");
        PlatformTelemetry.Meter.CreateObservableGauge("par.survey.intake.unaccounted", () => _latest?.Unaccounted ?? 0,
            description: "Accepted survey responses unstored for over a minute with nothing waiting in the queue.");
        PlatformTelemetry.Meter.CreateObservableGauge("par.survey.intake.error_queue_depth", () => _latest?.ErrorQueueDepth ?? 0,
            description: "Messages in survey-responses_error.");
        PlatformTelemetry.Meter.CreateObservableGauge("par.survey.intake.alarm", () => _latest?.Alarm == true ? 1 : 0,
            description: "1 while the intake alarm is raised (error queue not empty or responses unaccounted).");
    }

    /// <summary>The latest platform-wide status the gauges report (null before the first check).</summary>
    public static IntakeStatus? Latest => _latest;

    /// <param name="tenantId">null for every tenant (national callers, the exporter).</param>
    public async Task<IntakeStatus> CheckAsync(string? tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var (accepted, stored, acceptedLastMinute, storedLastMinute) =
            await connection.QuerySingleAsync<(long Accepted, long Stored, long AcceptedLastMinute, long StoredLastMinute)>(
            """
            SELECT (SELECT count(*) FROM intake_receipts WHERE @tenantId::text IS NULL OR tenant_id = @tenantId),
                   (SELECT count(*) FROM responses WHERE @tenantId::text IS NULL OR tenant_id = @tenantId),
                   (SELECT count(*) FROM intake_receipts WHERE accepted_at >= @since AND (@tenantId::text IS NULL OR tenant_id = @tenantId)),
                   (SELECT count(*) FROM responses WHERE stored_at >= @since AND (@tenantId::text IS NULL OR tenant_id = @tenantId))
            """, new { tenantId, since = now.AddMinutes(-1) });
        var (queue, errors) = await ResponsesQueueDeclarer.DepthAsync(configuration, cancellationToken);
        var backlog = accepted - stored;
        // Only looked for when something is missing and nothing waits in the queue: the anti-join is then worth it.
        var unaccounted = backlog > 0 && queue == 0
            ? await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM intake_receipts r
                WHERE r.accepted_at < @cutoff AND (@tenantId::text IS NULL OR r.tenant_id = @tenantId)
                  AND NOT EXISTS (SELECT 1 FROM responses s WHERE s.tenant_id = r.tenant_id AND s.response_id = r.response_id)
                """, new { tenantId, cutoff = now - StoreGrace })
            : 0;
        List<IntakeAlarm> alarms = [];
        if (errors > 0)
        {
            alarms.Add(new IntakeAlarm("error-queue-not-empty", "Hàng đợi lỗi có phiếu chưa lưu",
                $"{errors} message(s) in {IntakeService.ErrorQueue}: fix the cause shown in their headers, then POST /api/survey/ops/error-queue/replay."));
        }
        if (unaccounted > 0)
        {
            alarms.Add(new IntakeAlarm("responses-unaccounted", "Có phiếu đã tiếp nhận nhưng chưa được lưu",
                $"{unaccounted} accepted response(s) unstored for over {StoreGrace.TotalMinutes:0} minute(s) with nothing waiting in {IntakeService.ResponsesQueue}."));
        }
        var status = new IntakeStatus(accepted, stored, backlog, acceptedLastMinute, storedLastMinute, queue, errors,
            unaccounted, alarms.Count > 0, alarms);
        if (tenantId is null)
        {
            _latest = status;
        }
        return status;
    }
}

/// <summary>Keeps the exported intake gauges current in processes that serve the API.</summary>
internal sealed class IntakeMonitorRefresher(IntakeMonitor monitor, ILogger<IntakeMonitorRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var status = await monitor.CheckAsync(null, stoppingToken);
                if (status.Alarm)
                {
                    logger.LogError("Survey intake alarm: {Alarms}", string.Join("; ", status.Alarms!.Select(alarm => alarm.Detail)));
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Checking the survey intake failed; retrying");
            }
            await Task.Delay(Interval, stoppingToken);
        }
    }
}
