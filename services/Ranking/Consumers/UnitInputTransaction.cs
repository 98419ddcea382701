using Npgsql;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Live;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.Ranking.Consumers;

/// <summary>One message's input for one unit: saved only if newer than what is held.</summary>
internal sealed record UnitInput(
    Guid UnitId, Guid MessageId, Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task<bool>> SaveIfNewer);

/// <summary>
/// What the input consumers do with events about units of one round, in one transaction: lock each unit, skip a
/// message already processed (inbox), store the input if it is newer than what is held, and rescore each changed
/// unit once. The appraisal consumer runs it per message; survey updates in groups (<see cref="SurveyInputCoalescer"/>).
/// </summary>
internal static class UnitInputTransaction
{
    public static async Task ApplyAsync(
        TenantDataSource dataSource, CriteriaClient criteria, TimeProvider clock,
        Guid roundId, string tenantId, string consumer, UnitInput input, CancellationToken cancellationToken)
    {
        var round = await UnitRecompute.RoundForAsync(criteria, roundId, tenantId, input.UnitId, cancellationToken);
        await StoreAsync(dataSource, clock, round, consumer, [input], cancellationToken);
    }

    public static async Task StoreAsync(
        TenantDataSource dataSource, TimeProvider clock, RoundContext round, string consumer, IReadOnlyList<UnitInput> inputs,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rescore = new List<Guid>();
        // Units locked in one order, so a group never deadlocks with another transaction holding some of them.
        foreach (var unit in inputs.GroupBy(input => input.UnitId).OrderBy(unit => unit.Key))
        {
            await InputData.LockUnitAsync(connection, transaction, round.Round.RoundId, unit.Key);
            var changed = false;
            foreach (var input in unit)
            {
                changed |= await Inbox.TryMarkProcessedAsync(connection, transaction, input.MessageId, consumer)
                    && await input.SaveIfNewer(connection, transaction, now);
            }
            if (changed)
            {
                rescore.Add(unit.Key);
            }
        }
        foreach (var unitId in rescore)
        {
            await UnitRecompute.RunAsync(connection, transaction, round, unitId, clock.GetUtcNow());
        }
        if (rescore.Count > 0)
        {
            await ResultData.MarkChangedAsync(connection, transaction, round.Round.RoundId, round.Round.TenantId, rescore);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
