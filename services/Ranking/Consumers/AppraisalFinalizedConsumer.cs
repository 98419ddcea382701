using MassTransit;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Ranking.Consumers;

/// <summary>Stores a unit's appraised scores (highest revision wins) and rescores the unit; redelivery changes nothing.</summary>
public sealed class AppraisalFinalizedConsumer(TenantDataSource dataSource, CriteriaClient criteria, TimeProvider clock)
    : IConsumer<AppraisalFinalized>
{
    public Task Consume(ConsumeContext<AppraisalFinalized> context)
    {
        var message = context.Message;
        var messageId = context.MessageId ?? throw new InvalidOperationException("The message carries no id.");
        return UnitInputTransaction.ApplyAsync(dataSource, criteria, clock, message.RoundId, message.TenantId, nameof(AppraisalFinalizedConsumer),
            new UnitInput(message.UnitId, messageId, (connection, transaction, now) => InputData.SaveAppraisalAsync(connection, transaction, message, now)),
            context.CancellationToken);
    }
}
