using MassTransit;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;

namespace ParPlatform.Ranking.Consumers;

/// <summary>Stores a unit's appraised scores (highest revision wins) and rescores the unit; redelivery changes nothing.</summary>
public sealed class AppraisalFinalizedConsumer(TenantDataSource dataSource, CriteriaDirectory criteria, TimeProvider clock)
    : IConsumer<AppraisalFinalized>
{
    public Task Consume(ConsumeContext<AppraisalFinalized> context)
    {
        var message = context.Message;
        return UnitInputTransaction.ApplyAsync(dataSource, criteria, clock, message.RoundId, message.TenantId, message.UnitId,
            context.MessageId, nameof(AppraisalFinalizedConsumer),
            (connection, transaction, now) => InputData.SaveAppraisalAsync(connection, transaction, message, now),
            context.CancellationToken);
    }
}
