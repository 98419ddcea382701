using MassTransit;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Consumers;

/// <summary>
/// Stores a batch of intake messages in one transaction; MassTransit acknowledges them only after it commits. A batch
/// that keeps failing goes, after the endpoint's retries, to <c>survey-responses_error</c> with the exception as the
/// reason; replaying it is safe because storing is insert-if-absent.
/// </summary>
public sealed class StoreResponsesConsumer(ResponseStore store) : IConsumer<Batch<SurveyResponsesSubmitted>>
{
    public const int MessageLimit = 100;
    public const int ConcurrencyLimit = 2;

    public async Task Consume(ConsumeContext<Batch<SurveyResponsesSubmitted>> context)
    {
        var rows = context.Message
            .SelectMany(message => ResponseBatchCodec.Decode(message.Message.Responses).Select(response => (message.Message.TenantId, response)))
            .ToList();
        var stored = await store.StoreAsync(rows, context.CancellationToken);
        SurveyMetrics.Stored.Add(stored);
    }
}
