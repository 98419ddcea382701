using System.Text.Json;
using ParPlatform.Contracts;
using RabbitMQ.Client;

namespace ParPlatform.Survey.Intake;

/// <summary>What a replay moved: back to the workers, kept (other tenants' messages) and still in the error queue.</summary>
public sealed record ReplayResult(int Replayed, int Kept, long Remaining);

/// <summary>
/// Moves the messages of <c>survey-responses_error</c> back to <c>survey-responses</c> once their cause is fixed
/// (<c>POST /api/survey/ops/error-queue/replay</c>). Each message keeps its body and headers except the fault ones,
/// is published with a publisher confirm and only then acknowledged in the error queue, so a crash mid-way leaves
/// a message in both queues at worst: storing is insert-if-absent, so it is still stored exactly once. A message that
/// fails again comes back to the error queue with its new reason.
/// </summary>
public sealed class ErrorQueueReplayer(IConfiguration configuration)
{
    private static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", Consumers.StoreResponsesConsumer.ReasonHeader];

    /// <param name="tenantId">Replays only this tenant's messages (the others are kept, in order); null for all.</param>
    public async Task<ReplayResult> ReplayAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(configuration.GetConnectionString(ResourceNames.Messaging)!) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var (replayed, kept) = (0, 0);
        // Only the messages there now: one kept message goes to the tail and must not be read again.
        var limit = (await channel.QueueDeclarePassiveAsync(IntakeService.ErrorQueue, cancellationToken)).MessageCount;
        for (var i = 0; i < limit; i++)
        {
            if (await channel.BasicGetAsync(IntakeService.ErrorQueue, autoAck: false, cancellationToken) is not { } message)
            {
                break;
            }
            var ours = tenantId is null || TenantOf(message.Body) == tenantId;
            var properties = new BasicProperties(message.BasicProperties);
            if (ours && properties.Headers is { } headers)
            {
                properties.Headers = headers.Where(header => !FaultHeaderPrefixes.Any(prefix => header.Key.StartsWith(prefix, StringComparison.Ordinal)))
                    .ToDictionary(header => header.Key, header => header.Value);
            }
            var exchange = ours ? IntakeService.ResponsesQueue : IntakeService.ErrorQueue;
            await channel.BasicPublishAsync(exchange, "", mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            _ = ours ? replayed++ : kept++;
        }
        var remaining = (await channel.QueueDeclarePassiveAsync(IntakeService.ErrorQueue, cancellationToken)).MessageCount;
        return new ReplayResult(replayed, kept, remaining);
    }

    /// <summary>The tenant named in a MassTransit JSON envelope of <see cref="SurveyResponsesSubmitted"/>, or null.</summary>
    private static string? TenantOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            return envelope.RootElement.TryGetProperty("message", out var message)
                   && message.TryGetProperty("tenantId", out var tenant) ? tenant.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
