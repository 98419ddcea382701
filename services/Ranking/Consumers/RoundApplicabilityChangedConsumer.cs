using MassTransit;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Ranking.Consumers;

/// <summary>
/// A unit's "không áp dụng" marks changed in the criteria service: its maxima, and so its index, change with them,
/// even after its appraisal was finalised. The unit is rescored from its stored inputs against the round as the
/// criteria service describes it now (read afresh, so of two changes arriving out of order the latest counts). A unit
/// without any result yet is left alone: its first input scores it with the current marks.
/// </summary>
public sealed class RoundApplicabilityChangedConsumer(TenantDataSource dataSource, CriteriaClient criteria, TimeProvider clock)
    : IConsumer<RoundApplicabilityChanged>
{
    public Task Consume(ConsumeContext<RoundApplicabilityChanged> context)
    {
        var message = context.Message;
        var messageId = context.MessageId ?? throw new InvalidOperationException("The message carries no id.");
        return UnitInputTransaction.ApplyAsync(dataSource, criteria, clock, message.RoundId, message.TenantId, nameof(RoundApplicabilityChangedConsumer),
            new UnitInput(message.UnitId, messageId,
                (connection, transaction, _) => ResultData.ExistsAsync(connection, transaction, message.RoundId, message.UnitId)),
            context.CancellationToken);
    }
}
