using ParPlatform.Contracts;
using RabbitMQ.Client;

namespace ParPlatform.Survey.Intake;

/// <summary>
/// Declares the workers' quorum queue and its exchange at start-up, exactly as the worker endpoint declares them. An
/// API-only process started before any worker would otherwise send into an exchange bound to nothing, and RabbitMQ
/// confirms (and drops) unroutable messages.
/// </summary>
internal sealed class ResponsesQueueDeclarer(IConfiguration configuration, ILogger<ResponsesQueueDeclarer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(configuration.GetConnectionString(ResourceNames.Messaging)!) };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
                await DeclareAsync(connection, IntakeService.ResponsesQueue, cancellationToken);
                // The error queue too, as MassTransit declares it (like its source queue): the worker sends the
                // responses it cannot store to its exchange, which must never be bound to nothing. An error queue
                // declared otherwise by an older version is kept as it is.
                try
                {
                    await DeclareAsync(connection, IntakeService.ErrorQueue, cancellationToken);
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException exception)
                {
                    logger.LogWarning(exception, "The {Queue} queue exists with other arguments; kept as it is", IntakeService.ErrorQueue);
                }
                return;
            }
            catch (Exception exception) when (attempt < 60 && exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Declaring the {Queue} queue failed (attempt {Attempt}); retrying", IntakeService.ResponsesQueue, attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task DeclareAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, queue, "", cancellationToken: cancellationToken);
    }

    /// <summary>Messages ready in the queue and in its error queue (0 when the error queue was never created).</summary>
    public static async Task<(long Ready, long Errors)> DepthAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(configuration.GetConnectionString(ResourceNames.Messaging)!) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        return (await CountAsync(connection, IntakeService.ResponsesQueue, cancellationToken),
            await CountAsync(connection, IntakeService.ErrorQueue, cancellationToken));
    }

    private static async Task<long> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel, hence one channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }
}
