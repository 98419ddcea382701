using MassTransit;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Live;

namespace ParPlatform.Ranking.Consumers;

/// <summary>Stores a unit's appraised scores (highest revision wins) and rescores the unit; redelivery changes nothing.</summary>
public sealed class AppraisalFinalizedConsumer(NpgsqlDataSource dataSource, CriteriaDirectory criteria, TimeProvider clock)
    : IConsumer<AppraisalFinalized>
{
    public async Task Consume(ConsumeContext<AppraisalFinalized> context)
    {
        var message = context.Message;
        var round = await UnitRecompute.RoundForAsync(criteria, message.RoundId, message.TenantId, message.UnitId, context.CancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await InputData.LockUnitAsync(connection, transaction, message.RoundId, message.UnitId);
        var messageId = context.MessageId ?? throw new InvalidOperationException("The message carries no id.");
        if (await Inbox.TryMarkProcessedAsync(connection, transaction, messageId, nameof(AppraisalFinalizedConsumer))
            && await InputData.SaveAppraisalAsync(connection, transaction, message, clock.GetUtcNow()))
        {
            await UnitRecompute.RunAsync(connection, transaction, round, message.UnitId, clock.GetUtcNow());
        }
        await transaction.CommitAsync(context.CancellationToken);
    }
}
