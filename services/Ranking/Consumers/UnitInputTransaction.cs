using Npgsql;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Live;

namespace ParPlatform.Ranking.Consumers;

/// <summary>
/// What the appraisal consumer does with an event about one unit, in one transaction: lock the unit, skip a message
/// already processed (inbox), store the input if it is newer than what is held, and rescore the unit. Survey updates
/// do the same in groups (<see cref="SurveyInputCoalescer"/>).
/// </summary>
internal static class UnitInputTransaction
{
    public static async Task ApplyAsync(
        TenantDataSource dataSource, CriteriaDirectory criteria, TimeProvider clock,
        Guid roundId, string tenantId, Guid unitId, Guid? messageId, string consumer,
        Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task<bool>> saveIfNewer, CancellationToken cancellationToken)
    {
        var round = await UnitRecompute.RoundForAsync(criteria, roundId, tenantId, unitId, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InputData.LockUnitAsync(connection, transaction, roundId, unitId);
        var id = messageId ?? throw new InvalidOperationException("The message carries no id.");
        if (await Inbox.TryMarkProcessedAsync(connection, transaction, id, consumer)
            && await saveIfNewer(connection, transaction, clock.GetUtcNow()))
        {
            await UnitRecompute.RunAsync(connection, transaction, round, unitId, clock.GetUtcNow());
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
