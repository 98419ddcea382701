using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A transactional outbox for Dapper: <see cref="EnqueueAsync{T}"/> writes the event in the caller's transaction, so
/// it exists exactly when the state change commits; <see cref="OutboxDispatcher"/> then publishes it. The outbox row id
/// is the message id, so a publish repeated after a crash is recognised by consumers' inboxes.
/// </summary>
public static class Outbox
{
    public static async Task<Guid> EnqueueAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, T message)
        where T : class
    {
        var id = NewId.NextGuid();
        await connection.ExecuteAsync(
            """
            INSERT INTO outbox_messages (id, message_type, body) VALUES (@id, @type, @body::jsonb);
            SELECT pg_notify('outbox', '');
            """,
            new { id, type = typeof(T).AssemblyQualifiedName, body = JsonSerializer.Serialize(message) },
            transaction);
        return id;
    }

    internal static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }
}

/// <summary>Publishes pending outbox rows; several replicas share the work through <c>FOR UPDATE SKIP LOCKED</c>.</summary>
internal sealed class OutboxDispatcher(IServiceProvider services, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dataSource = services.GetService<NpgsqlDataSource>();
        if (dataSource is null)
        {
            return; // a process without a database (the gateway) has no outbox
        }
        var bus = services.GetRequiredService<IBus>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await DispatchBatchAsync(dataSource, bus, stoppingToken);
                if (published < BatchSize)
                {
                    await Task.Delay(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Outbox dispatch failed; retrying");
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    private static async Task<int> DispatchBatchAsync(NpgsqlDataSource dataSource, IBus bus, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = (await connection.QueryAsync<PendingMessage>(
            """
            SELECT id, message_type AS MessageType, body::text AS Body FROM outbox_messages
            WHERE dispatched_at IS NULL ORDER BY created_at LIMIT @BatchSize FOR UPDATE SKIP LOCKED
            """, new { BatchSize }, transaction)).ToList();
        if (pending.Count == 0)
        {
            return 0;
        }

        // Publishes run concurrently: awaited one by one with confirms they manage only tens per second.
        await Task.WhenAll(pending.Select(message => PublishAsync(bus, message, cancellationToken)));
        await connection.ExecuteAsync(
            "UPDATE outbox_messages SET dispatched_at = now(), attempts = attempts + 1 WHERE id = ANY(@ids)",
            new { ids = pending.Select(message => message.Id).ToArray() }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return pending.Count;
    }

    private static Task PublishAsync(IBus bus, PendingMessage message, CancellationToken cancellationToken)
    {
        var type = Type.GetType(message.MessageType, throwOnError: true)!;
        var body = JsonSerializer.Deserialize(message.Body, type)!;
        return bus.Publish(body, type, context => context.MessageId = message.Id, cancellationToken);
    }

    private sealed record PendingMessage(Guid Id, string MessageType, string Body);
}
