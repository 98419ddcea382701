using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Migrations;
using ParPlatform.Testing;
using Xunit.Abstractions;

namespace ParPlatform.Submission.Tests;

// Events of these tests only, so no service's consumer on the shared broker sees them; Run tells one test's from another's.
public interface ITestEvent
{
    Guid Run { get; }
}

[MessageName("par.tests.appraisal-noted.v1")]
public sealed record AppraisalNoted(Guid Run, int Number) : ITestEvent;

/// <summary>The event as an earlier version called it: same stable name, other CLR name.</summary>
[MessageName("par.tests.unit-retitled.v1")]
public sealed record UnitRetitled(Guid Run, string Title) : ITestEvent;

/// <summary>The same event after a rename (and, in real life, a new assembly version).</summary>
[MessageName("par.tests.unit-retitled.v1")]
public sealed record UnitRenamed(Guid Run, string Title) : ITestEvent;

/// <summary>
/// The outbox's dispatcher on a real database (the platform migrations applied by the service start-up code) and the
/// real broker: failures are recorded per row and retried with backoff without holding up the rest, stored names are
/// stable across a rename, old published rows age out, and two replicas never publish one row twice.
/// </summary>
public sealed class OutboxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestInfrastructure _infrastructure = null!;
    private IHost _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private string _connectionString = null!;
    private readonly Guid _run = Guid.NewGuid();
    private readonly List<IBusControl> _buses = [];

    public async Task InitializeAsync()
    {
        _infrastructure = await TestInfrastructure.SharedAsync();
        // The start-up code of every service: the data source and the migrations (here only the platform's own).
        _connectionString = await _infrastructure.CreateDatabaseAsync("outbox");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:outboxdb"] = _connectionString });
        builder.AddPostgresDataSource("outboxdb");
        builder.AddSqlMigrations(typeof(OutboxTests).Assembly);
        _database = builder.Build();
        await _database.StartAsync();
        _dataSource = _database.Services.GetRequiredService<NpgsqlDataSource>();
    }

    public async Task DisposeAsync()
    {
        foreach (var bus in _buses)
        {
            await bus.StopAsync();
        }
        await _database.StopAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task A_message_whose_publish_fails_records_the_error_and_is_retried_after_a_backoff_while_the_next_one_goes_out()
    {
        var received = new ConcurrentQueue<AppraisalNoted>();
        await StartConsumerAsync<AppraisalNoted>(context => received.Enqueue(context.Message));
        // The broker side refuses message 1 twice (a real publish pipe, failing the way a refused publish does), then takes it.
        var refusalsLeft = 2;
        var bus = await StartPublisherAsync(publish => publish.UseInlineFilter(async (context, next) =>
        {
            if (context is PublishContext<AppraisalNoted> { Message.Number: 1 } && Interlocked.Decrement(ref refusalsLeft) >= 0)
            {
                throw new InvalidOperationException("The broker refused message 1");
            }
            await next.Send(context);
        }));
        var options = new OutboxOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(10) };
        var relay = new OutboxRelay(_dataSource, bus, new MessageNames([typeof(AppraisalNoted)]), options, NullLogger.Instance);
        var first = await EnqueueAsync(new AppraisalNoted(_run, 1));
        var second = await EnqueueAsync(new AppraisalNoted(_run, 2));

        Assert.Equal(2, await relay.DispatchDueAsync(CancellationToken.None));
        var failed = await RowAsync(first);
        Assert.Equal((1, (DateTime?)null), (failed.Attempts, failed.DispatchedAt));
        Assert.Equal("InvalidOperationException: The broker refused message 1", failed.LastError);
        Assert.InRange(failed.RetryInSeconds, 0.5, 1.0);
        // The message behind it did not wait.
        Assert.Equal((1, "par.tests.appraisal-noted.v1"), ((await RowAsync(second)).Attempts, (await RowAsync(second)).MessageType));
        Assert.NotNull((await RowAsync(second)).DispatchedAt);
        await Eventually.TrueAsync(() => Task.FromResult(received.Any(message => message.Number == 2)), what: "message 2");

        // Not due yet: nothing is taken. Once due it fails again and waits twice as long.
        Assert.Equal(0, await relay.DispatchDueAsync(CancellationToken.None));
        await WaitUntilDueAsync(first);
        Assert.Equal(1, await relay.DispatchDueAsync(CancellationToken.None));
        var failedAgain = await RowAsync(first);
        Assert.Equal((2, (DateTime?)null), (failedAgain.Attempts, failedAgain.DispatchedAt));
        Assert.InRange(failedAgain.RetryInSeconds, 1.5, 2.0);

        // Third time lucky: published, its history kept on the row until the retention removes it.
        await WaitUntilDueAsync(first);
        Assert.Equal(1, await relay.DispatchDueAsync(CancellationToken.None));
        var published = await RowAsync(first);
        Assert.Equal(3, published.Attempts);
        Assert.NotNull(published.DispatchedAt);
        Assert.Equal("InvalidOperationException: The broker refused message 1", published.LastError);
        await Eventually.TrueAsync(() => Task.FromResult(received.Any(message => message.Number == 1)), what: "message 1");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal([1, 2], received.Select(message => message.Number).Order());
    }

    [Fact]
    public void The_backoff_doubles_from_the_base_delay_up_to_its_cap()
    {
        var options = new OutboxOptions();
        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300],
            Enumerable.Range(0, 11).Select(failures => options.RetryDelay(failures).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(5), options.RetryDelay(int.MaxValue));
    }

    [Fact]
    public async Task A_message_stored_under_its_stable_name_is_published_after_its_type_was_renamed()
    {
        var received = new ConcurrentQueue<ConsumeContext<UnitRenamed>>();
        await StartConsumerAsync<UnitRenamed>(received.Enqueue);
        var bus = await StartPublisherAsync();
        // Written by the previous version, where the event was UnitRetitled.
        var stored = await EnqueueAsync(new UnitRetitled(_run, "Sở Nội vụ"));
        Assert.Equal("par.tests.unit-retitled.v1", (await RowAsync(stored)).MessageType);
        // A row an old replica still wrote with its assembly-qualified name during the rolling deployment.
        var legacy = Guid.NewGuid();
        await using (var connection = await _dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO outbox_messages (id, message_type, body) VALUES (@legacy, @type, @body::jsonb)",
                new { legacy, type = typeof(UnitRenamed).AssemblyQualifiedName, body = $$"""{"Run":"{{_run}}","Title":"Sở Tư pháp"}""" });
        }

        // The new version knows only UnitRenamed.
        var relay = new OutboxRelay(_dataSource, bus, new MessageNames([typeof(UnitRenamed)]), new OutboxOptions(), NullLogger.Instance);
        Assert.Equal(2, await relay.DispatchDueAsync(CancellationToken.None));

        var delivered = await Eventually.GetAsync(
            () => Task.FromResult(received.Count == 2 ? received.ToList() : null), what: "both messages");
        Assert.Equal(
            new Dictionary<Guid, string> { [stored] = "Sở Nội vụ", [legacy] = "Sở Tư pháp" },
            delivered.ToDictionary(context => context.MessageId!.Value, context => context.Message.Title));
        Assert.All(new[] { await RowAsync(stored), await RowAsync(legacy) }, row => Assert.Null(row.LastError));
    }

    [Fact]
    public async Task A_message_whose_name_no_event_has_is_kept_with_the_reason_not_dropped()
    {
        var bus = await StartPublisherAsync();
        var relay = new OutboxRelay(_dataSource, bus, new MessageNames([typeof(AppraisalNoted)]), new OutboxOptions(), NullLogger.Instance);
        // An event of a newer version than this replica's, for instance.
        var unknown = await EnqueueAsync(new UnitRetitled(_run, "Sở Y tế"));

        Assert.Equal(1, await relay.DispatchDueAsync(CancellationToken.None));

        var row = await RowAsync(unknown);
        Assert.Equal((1, (DateTime?)null), (row.Attempts, row.DispatchedAt));
        Assert.Equal("Unknown message name 'par.tests.unit-retitled.v1': no integration event of this service version has it.", row.LastError);
    }

    [Fact]
    public async Task Published_rows_older_than_the_retention_are_deleted_and_recent_and_pending_ones_kept()
    {
        var old = await EnqueueAsync(new AppraisalNoted(_run, 1));
        var recent = await EnqueueAsync(new AppraisalNoted(_run, 2));
        var pending = await EnqueueAsync(new AppraisalNoted(_run, 3));
        await using var connection = await _dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE outbox_messages SET dispatched_at = now() - interval '8 days', created_at = now() - interval '8 days' WHERE id = @old;
            UPDATE outbox_messages SET dispatched_at = now() - interval '6 days 23 hours' WHERE id = @recent;
            UPDATE outbox_messages SET created_at = now() - interval '30 days' WHERE id = @pending;
            """, new { old, recent, pending });
        var relay = new OutboxRelay(_dataSource, await StartPublisherAsync(), MessageNames.Contracts,
            new OutboxOptions { Retention = TimeSpan.FromDays(7) }, NullLogger.Instance);

        Assert.Equal(1, await relay.DeleteExpiredAsync(CancellationToken.None));

        var left = await connection.QueryAsync<Guid>("SELECT id FROM outbox_messages ORDER BY created_at");
        Assert.Equal([pending, recent], left);
        // The never-published row is what the backlog gauges report.
        var backlog = await relay.MeasureBacklogAsync(CancellationToken.None);
        Assert.Equal(1, backlog.Pending);
        Assert.InRange(backlog.OldestPendingSeconds, TimeSpan.FromDays(30).TotalSeconds, TimeSpan.FromDays(30.01).TotalSeconds);
    }

    [Fact]
    public async Task Two_dispatchers_never_publish_a_row_twice()
    {
        const int Messages = 600;
        var received = new ConcurrentDictionary<Guid, int>();
        await StartConsumerAsync<AppraisalNoted>(context => received.AddOrUpdate(context.MessageId!.Value, 1, (_, n) => n + 1));
        await using (var connection = await _dataSource.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            for (var number = 1; number <= Messages; number++)
            {
                await Outbox.EnqueueAsync(connection, transaction, new AppraisalNoted(_run, number));
            }
            await transaction.CommitAsync();
        }

        // Two replicas: their own connection pools, their own broker connections, small batches so they interleave.
        var options = new OutboxOptions { BatchSize = 25 };
        var replicas = new List<(OutboxRelay Relay, NpgsqlDataSource DataSource)>();
        for (var i = 0; i < 2; i++)
        {
            var dataSource = NpgsqlDataSource.Create(_connectionString);
            replicas.Add((new OutboxRelay(dataSource, await StartPublisherAsync(), new MessageNames([typeof(AppraisalNoted)]),
                options, NullLogger.Instance), dataSource));
        }
        var taken = await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            var total = 0;
            int batch;
            while ((batch = await replica.Relay.DispatchDueAsync(CancellationToken.None)) > 0)
            {
                total += batch;
            }
            return total;
        })));
        foreach (var replica in replicas)
        {
            await replica.DataSource.DisposeAsync();
        }
        output.WriteLine($"rows taken per dispatcher: {string.Join(", ", taken)}");

        Assert.Equal(Messages, taken.Sum());
        Assert.All(taken, count => Assert.True(count > 0, "both dispatchers took rows"));
        await Eventually.TrueAsync(() => Task.FromResult(received.Count == Messages), what: $"{Messages} messages");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(Messages, received.Count);
        Assert.All(received.Values, deliveries => Assert.Equal(1, deliveries));
        await using var check = await _dataSource.OpenConnectionAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL OR attempts <> 1"));
    }

    [Fact]
    public async Task The_migration_gives_stored_rows_their_stable_names_and_retires_the_events_nobody_consumed()
    {
        // A database as the previous version left it: the first platform migration only, rows named by CLR type.
        var database = _infrastructure.AsSuperuser(await _infrastructure.CreateDatabaseAsync("outboxv1"));
        await using var connection = new NpgsqlConnection(database);
        await connection.ExecuteAsync(PlatformMigration("V1__inbox_outbox.sql"));
        const string Version = ", ParPlatform.Contracts, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null";
        await connection.ExecuteAsync(
            """
            INSERT INTO outbox_messages (id, message_type, body, dispatched_at, attempts) VALUES
                ('00000000-0000-0000-0000-000000000001', @appraisal, '{}', NULL, 0),
                ('00000000-0000-0000-0000-000000000002', @ping, '{}', now(), 1),
                ('00000000-0000-0000-0000-000000000003', @approved, '{}', NULL, 0),
                ('00000000-0000-0000-0000-000000000004', @published, '{}', now() - interval '1 day', 1)
            """,
            new
            {
                appraisal = "ParPlatform.Contracts.Events.AppraisalFinalized" + Version,
                ping = "ParPlatform.Contracts.Events.PlatformPing" + Version,
                approved = "ParPlatform.Contracts.Events.SelfAssessmentApproved" + Version,
                published = "ParPlatform.Contracts.Events.RankingPublished" + Version,
            });

        await connection.ExecuteAsync(PlatformMigration("V3__outbox_attempts.sql"));

        var rows = (await connection.QueryAsync<(Guid Id, string MessageType, bool Dispatched, string? LastError, bool Due)>(
            "SELECT id, message_type, dispatched_at IS NOT NULL, last_error, next_attempt_at <= now() FROM outbox_messages ORDER BY id")).ToList();
        var removed = "Not published: the event was removed because no service consumes it.";
        Assert.Equal(
            [
                ("par.submission.appraisal-finalized.v1", false, null, true),
                ("par.platform.ping.v1", true, null, true),
                ("ParPlatform.Contracts.Events.SelfAssessmentApproved" + Version, true, removed, true),
                ("ParPlatform.Contracts.Events.RankingPublished" + Version, true, null, true),
            ],
            rows.Select(row => (row.MessageType, row.Dispatched, row.LastError, row.Due)));
        // Every name the migration writes is one the dispatcher resolves.
        Assert.All(rows.Take(2), row => Assert.True(MessageNames.Contracts.TryGetType(row.MessageType, out _)));
    }

    private static string PlatformMigration(string file)
    {
        using var stream = typeof(Outbox).Assembly.GetManifestResourceStream($"ParPlatform.ServiceDefaults.Migrations.{file}")
            ?? throw new InvalidOperationException($"{file} is not embedded in ServiceDefaults.");
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public async Task An_event_is_published_in_the_trace_of_the_request_that_stored_it_so_the_consumer_joins_that_trace()
    {
        using var requests = new ActivitySource("outbox-tests-request");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "outbox-tests-request" or "MassTransit" or PlatformTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var consumedIn = new ConcurrentQueue<ActivityTraceId?>();
        await StartConsumerAsync<AppraisalNoted>(_ => consumedIn.Enqueue(Activity.Current?.TraceId));
        var bus = await StartPublisherAsync();
        var relay = new OutboxRelay(_dataSource, bus, new MessageNames([typeof(AppraisalNoted)]), new OutboxOptions(), NullLogger.Instance);

        ActivityTraceId requestTrace;
        using (var request = requests.StartActivity("PUT /api/submission/assessments/{id}/items/{code}", ActivityKind.Server)!)
        {
            requestTrace = request.TraceId;
            await EnqueueAsync(new AppraisalNoted(_run, 7));
        }
        // The dispatcher runs later, outside any request, as the hosted service does.
        Assert.Null(Activity.Current);
        Assert.Equal(1, await relay.DispatchDueAsync(CancellationToken.None));

        await Eventually.TrueAsync(() => Task.FromResult(!consumedIn.IsEmpty), what: "the consumed event");
        Assert.Equal(requestTrace, Assert.Single(consumedIn));
    }

    private async Task<Guid> EnqueueAsync<T>(T message) where T : class
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await Outbox.EnqueueAsync(connection, transaction, message);
        await transaction.CommitAsync();
        return id;
    }

    private async Task<OutboxRow> RowAsync(Guid id)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<OutboxRow>(
            """
            SELECT message_type AS MessageType, attempts, last_error AS LastError, dispatched_at AS DispatchedAt,
                   EXTRACT(EPOCH FROM next_attempt_at - now())::float8 AS RetryInSeconds
            FROM outbox_messages WHERE id = @id
            """, new { id });
    }

    private async Task WaitUntilDueAsync(Guid id) =>
        await Eventually.TrueAsync(async () => (await RowAsync(id)).RetryInSeconds <= 0, what: "the next attempt");

    /// <summary>A consumer on the real broker for this test's messages (those of earlier tests are left out).</summary>
    private async Task StartConsumerAsync<T>(Action<ConsumeContext<T>> handle) where T : class, ITestEvent
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(_infrastructure.MessagingConnectionString));
            rabbit.ReceiveEndpoint($"outbox-tests-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<T>(context =>
                {
                    if (context.Message.Run == _run)
                    {
                        handle(context);
                    }
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        _buses.Add(bus);
    }

    private async Task<IBusControl> StartPublisherAsync(Action<IPublishPipeConfigurator>? publishPipe = null)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(_infrastructure.MessagingConnectionString), host => host.PublisherConfirmation = true);
            if (publishPipe is not null)
            {
                rabbit.ConfigurePublish(publishPipe);
            }
        });
        await bus.StartAsync();
        _buses.Add(bus);
        return bus;
    }

    private sealed record OutboxRow(string MessageType, int Attempts, string? LastError, DateTime? DispatchedAt, double RetryInSeconds);
}
