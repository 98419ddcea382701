using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ParPlatform.Contracts.Events;

namespace ParPlatform.ServiceDefaults.Messaging;

/// <summary>
/// A transactional outbox for Dapper: <see cref="EnqueueAsync{T}"/> writes the event in the caller's transaction, so
/// it exists exactly when the state change commits; <see cref="OutboxDispatcher"/> then publishes it. The outbox row id
/// is the message id, so a publish repeated after a crash is recognised by consumers' inboxes. Rows name their event
/// by its stable <see cref="MessageNameAttribute"/>, never by the CLR type, so a rename or a new assembly version
/// does not strand what is already stored.
/// </summary>
public static class Outbox
{
    public static async Task<Guid> EnqueueAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        var id = NewId.NextGuid();
        // No NOTIFY to wake the dispatcher: PostgreSQL serialises the commits of notifying transactions on one lock
        // for the whole cluster, which every event-producing write would then queue on; polling a partial index
        // costs next to nothing and bounds the delay at OutboxOptions.PollInterval.
        // The W3C trace context of the request that caused the event travels with the row, so the dispatcher publishes
        // under it and an operator sees one trace: gateway -> service -> RabbitMQ -> consumer.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outbox_messages (id, message_type, body, trace_parent) VALUES (@id, @type, @body::jsonb, @traceParent)",
            new { id, type = MessageName<T>.Value, body = JsonSerializer.Serialize(message), traceParent = TraceParentOf(Activity.Current) },
            transaction, cancellationToken: cancellationToken));
        return id;
    }

    private static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    internal static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }

    // Fails on the first enqueue of a type without [MessageName], inside the caller's transaction: nothing commits.
    private static class MessageName<T>
    {
        public static readonly string Value = MessageNames.NameOf(typeof(T));
    }
}

/// <summary>How the outbox dispatches, retries and forgets; configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    /// <summary>How often a dispatcher with nothing to do looks again: the longest an event waits after its commit.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>Wait after a message's first failed publish; doubles with every further failure up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a published row stays (to see what left and when) before the clean-up deletes it.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A batch whose publishes take longer is abandoned (its rows retried); a broker that hangs must not hold them.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Exponential: base, 2 x base, 4 x base ... capped at <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryDelay(int failedAttemptsBefore) =>
        TimeSpan.FromTicks((long)Math.Min(RetryMaxDelay.Ticks, RetryBaseDelay.Ticks * Math.Pow(2, Math.Min(failedAttemptsBefore, 30))));
}

/// <summary>
/// The outbox's work on one database: publish the due rows, delete old published ones, measure the backlog.
/// Several dispatchers (replicas) share one table: <c>FOR UPDATE SKIP LOCKED</c> hands each row to one of them, held
/// until its publish is recorded.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource dataSource, IPublishEndpoint bus, MessageNames names, OutboxOptions options, ILogger logger)
{
    private const int MaxErrorLength = 2000;
    private const int DeleteBatchSize = 5000;

    /// <summary>Publishes up to one batch of due rows, oldest first; each failure is recorded on its own row.</summary>
    /// <returns>How many rows were taken (published or failed).</returns>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<PendingMessage>(new CommandDefinition(
            """
            SELECT id, message_type AS MessageType, body::text AS Body, attempts, trace_parent AS TraceParent FROM outbox_messages
            WHERE dispatched_at IS NULL AND next_attempt_at <= now()
            ORDER BY created_at, id LIMIT @BatchSize FOR UPDATE SKIP LOCKED
            """, new { options.BatchSize }, transaction, cancellationToken: cancellationToken))).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        // The times recorded below are clock_timestamp(), not now(): now() is when the transaction began, before the
        // publishes, which may take seconds (a broker under load), and would shorten every backoff by as much.
        // Publishes run concurrently: awaited one by one with confirms they manage only tens per second.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishTimeout);
        var errors = await Task.WhenAll(due.Select(message => PublishAsync(message, timeout.Token)));
        cancellationToken.ThrowIfCancellationRequested();

        var published = due.Where((_, index) => errors[index] is null).Select(message => message.Id).ToArray();
        if (published.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET dispatched_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY(@published)",
                new { published }, transaction, cancellationToken: cancellationToken));
        }
        var failed = due.Select((message, index) => (Message: message, Error: errors[index]))
            .Where(outcome => outcome.Error is not null).ToList();
        if (failed.Count > 0)
        {
            var delays = failed.Select(outcome => options.RetryDelay(outcome.Message.Attempts)).ToList();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE outbox_messages AS o
                SET attempts = o.attempts + 1, last_error = f.error, next_attempt_at = clock_timestamp() + f.delay
                FROM unnest(@ids, @errors, @delays) AS f(id, error, delay)
                WHERE o.id = f.id
                """,
                new
                {
                    ids = failed.Select(outcome => outcome.Message.Id).ToArray(),
                    errors = failed.Select(outcome => outcome.Error!).ToArray(),
                    delays = delays.ToArray(),
                }, transaction, cancellationToken: cancellationToken));
            for (var i = 0; i < failed.Count; i++)
            {
                logger.LogWarning(
                    "Outbox message {MessageId} ({MessageType}) failed on attempt {Attempt}; next attempt in {RetryDelay}: {Error}",
                    failed[i].Message.Id, failed[i].Message.MessageType, failed[i].Message.Attempts + 1, delays[i], failed[i].Error);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        OutboxMetrics.Published.Add(published.Length);
        OutboxMetrics.Failed.Add(failed.Count);
        return due.Count;
    }

    /// <returns>null once the broker confirmed the message; otherwise why it was not published.</returns>
    private async Task<string?> PublishAsync(PendingMessage message, CancellationToken cancellationToken)
    {
        if (!names.TryGetType(message.MessageType, out var type))
        {
            // Kept, not dropped: a newer replica that knows the name (a rolling deployment) or a fix can still send it.
            return $"Unknown message name '{message.MessageType}': no integration event of this service version has it.";
        }
        try
        {
            var body = JsonSerializer.Deserialize(message.Body, type)
                ?? throw new JsonException($"The body of {message.MessageType} is null.");
            // Continues the trace of the request that stored the event (MassTransit's send activity nests under it).
            ActivityContext.TryParse(message.TraceParent, null, out var parent);
            using var activity = PlatformTelemetry.ActivitySource.StartActivity(
                $"outbox publish {message.MessageType}", ActivityKind.Internal, parent);
            activity?.SetTag("messaging.message.id", message.Id.ToString());
            await bus.Publish(body, type, context => context.MessageId = message.Id, cancellationToken);
            return null;
        }
        catch (Exception exception)
        {
            var error = $"{exception.GetType().Name}: {exception.Message}";
            return error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
        }
    }

    /// <summary>Deletes rows published longer than <see cref="OutboxOptions.Retention"/> ago, in batches.</summary>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = 0;
        int deleted;
        do
        {
            // Short batches: a week of survey events deleted in one statement would hold its locks for long.
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM outbox_messages WHERE id IN (
                    SELECT id FROM outbox_messages WHERE dispatched_at < now() - @Retention LIMIT @DeleteBatchSize)
                """, new { options.Retention, DeleteBatchSize }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == DeleteBatchSize);
        return total;
    }

    /// <summary>Reads the pending count and the oldest pending row's age into the outbox gauges.</summary>
    public async Task<OutboxBacklog> MeasureBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var backlog = await connection.QuerySingleAsync<OutboxBacklog>(new CommandDefinition(
            """
            SELECT count(*) AS Pending, count(*) FILTER (WHERE attempts > 0) AS Failing,
                   COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS OldestPendingSeconds
            FROM outbox_messages WHERE dispatched_at IS NULL
            """, cancellationToken: cancellationToken));
        OutboxMetrics.Backlogs[connection.Database] = backlog;
        return backlog;
    }

    private sealed record PendingMessage(Guid Id, string MessageType, string Body, int Attempts, string? TraceParent);
}

/// <param name="Failing">Pending rows whose publish failed at least once (waiting for their next attempt).</param>
public sealed record OutboxBacklog(long Pending, long Failing, double OldestPendingSeconds);

internal static class OutboxMetrics
{
    /// <summary>The last measurement per database (the tests run several services in one process).</summary>
    public static readonly ConcurrentDictionary<string, OutboxBacklog> Backlogs = new();

    public static readonly Counter<long> Published = PlatformTelemetry.Meter.CreateCounter<long>(
        "par.outbox.published", "{message}", "Outbox messages the broker confirmed");

    public static readonly Counter<long> Failed = PlatformTelemetry.Meter.CreateCounter<long>(
        "par.outbox.failed", "{message}", "Outbox publish attempts that failed (the row is retried after its backoff)");

    static OutboxMetrics()
    {
        PlatformTelemetry.Meter.CreateObservableGauge("par.outbox.pending",
            () => Measure(backlog => backlog.Pending), "{message}", "Outbox rows not yet published");
        PlatformTelemetry.Meter.CreateObservableGauge("par.outbox.failing",
            () => Measure(backlog => backlog.Failing), "{message}", "Pending outbox rows whose publish failed at least once");
        PlatformTelemetry.Meter.CreateObservableGauge("par.outbox.oldest_pending_age",
            () => Backlogs.Select(entry => new Measurement<double>(entry.Value.OldestPendingSeconds, new KeyValuePair<string, object?>("db.namespace", entry.Key))),
            "s", "Age of the oldest outbox row not yet published");
    }

    private static IEnumerable<Measurement<long>> Measure(Func<OutboxBacklog, long> value) =>
        Backlogs.Select(entry => new Measurement<long>(value(entry.Value), new KeyValuePair<string, object?>("db.namespace", entry.Key)));
}

/// <summary>Runs the service's <see cref="OutboxRelay"/>: dispatch, and now and then the clean-up and the backlog gauges.</summary>
internal sealed class OutboxDispatcher(IServiceProvider services, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan BacklogInterval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dataSource = services.GetService<NpgsqlDataSource>();
        if (dataSource is null)
        {
            return; // a process without a database (the gateway) has no outbox
        }
        var settings = options.Value;
        var relay = new OutboxRelay(dataSource, services.GetRequiredService<IBus>(), MessageNames.Contracts, settings, logger);
        // Stopwatch, not TimeProvider: tests move the services' clocks, and the outbox runs on real time.
        var sinceCleanup = Stopwatch.StartNew();
        var sinceBacklog = Stopwatch.StartNew();
        var cleanupDue = true;
        var backlogDue = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var taken = await relay.DispatchDueAsync(stoppingToken);
                if (cleanupDue || sinceCleanup.Elapsed >= settings.CleanupInterval)
                {
                    cleanupDue = false;
                    sinceCleanup.Restart();
                    var deleted = await relay.DeleteExpiredAsync(stoppingToken);
                    if (deleted > 0)
                    {
                        logger.LogInformation("Outbox clean-up deleted {Deleted} messages published over {Retention} ago", deleted, settings.Retention);
                    }
                }
                if (backlogDue || sinceBacklog.Elapsed >= BacklogInterval)
                {
                    backlogDue = false;
                    sinceBacklog.Restart();
                    await relay.MeasureBacklogAsync(stoppingToken);
                }
                if (taken < settings.BatchSize)
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database or the broker is away; the rows wait, nothing is lost.
                logger.LogWarning(exception, "Outbox dispatch failed; retrying");
                try
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
