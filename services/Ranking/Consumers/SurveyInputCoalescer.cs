using System.Threading.Channels;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Live;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Ranking.Consumers;

/// <summary>
/// Group commit for survey updates. During a survey campaign every worker transaction announces each unit it touched,
/// dozens of events a second for the same few rounds; applied one by one, each cost two criteria reads and a
/// transaction of its own. Here the events being consumed at the same moment share one read of their round and one
/// transaction (each still recorded in the inbox, saved only if newer, each touched unit rescored once), and each
/// consume completes only after that commit, so the broker's acknowledgement still follows the data. An event that
/// does not fit its round fails alone with its reason; if a group's transaction fails, its events are retried one by
/// one, so only the one at fault goes to the error queue.
/// </summary>
public sealed class SurveyInputCoalescer(TenantDataSource dataSource, CriteriaClient criteria, TimeProvider clock)
    : IHostedService
{
    /// <summary>Events consumed at once from the queue: what a group can hold.</summary>
    public const int ConcurrentConsumers = 32;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>();
    private Task _flusher = Task.CompletedTask;

    public Task ApplyAsync(SurveyScoresUpdated message, Guid messageId, CancellationToken cancellationToken)
    {
        var pending = new Pending(message, messageId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The ranking service is shutting down.");
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _flusher = Task.Run(FlushLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await Task.WhenAny(_flusher, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    private async Task FlushLoopAsync()
    {
        var reader = _pending.Reader;
        var group = new List<Pending>(ConcurrentConsumers);
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            while (reader.TryRead(out var pending))
            {
                group.Add(pending);
            }
            foreach (var round in group.GroupBy(pending => pending.Message.RoundId))
            {
                await FlushRoundAsync(round.Key, round.ToList());
            }
        }
    }

    private async Task FlushRoundAsync(Guid roundId, List<Pending> group)
    {
        RoundContext? round;
        try
        {
            round = await criteria.GetRoundContextAsync(roundId, CancellationToken.None);
        }
        catch (Exception exception)
        {
            group.ForEach(pending => pending.Done.TrySetException(exception));
            return;
        }
        var applicable = new List<Pending>(group.Count);
        foreach (var pending in group)
        {
            if (UnitRecompute.Problem(round, roundId, pending.Message.TenantId, pending.Message.UnitId) is { } problem)
            {
                pending.Done.TrySetException(new InvalidOperationException(problem));
            }
            else
            {
                applicable.Add(pending);
            }
        }
        if (applicable.Count == 0)
        {
            return;
        }
        try
        {
            await StoreAsync(round!, applicable);
            applicable.ForEach(pending => pending.Done.TrySetResult());
        }
        catch (Exception exception) when (applicable.Count == 1)
        {
            applicable[0].Done.TrySetException(exception);
        }
        catch
        {
            foreach (var pending in applicable)
            {
                try
                {
                    await StoreAsync(round!, [pending]);
                    pending.Done.TrySetResult();
                }
                catch (Exception exception)
                {
                    pending.Done.TrySetException(exception);
                }
            }
        }
    }

    private Task StoreAsync(RoundContext round, IReadOnlyList<Pending> group) =>
        UnitInputTransaction.StoreAsync(dataSource, clock, round, nameof(SurveyScoresUpdatedConsumer),
            group.Select(pending => new UnitInput(pending.Message.UnitId, pending.MessageId,
                (connection, transaction, now) => InputData.SaveSurveyAsync(connection, transaction, pending.Message, now))).ToList(),
            CancellationToken.None);

    private sealed record Pending(SurveyScoresUpdated Message, Guid MessageId, TaskCompletionSource Done);
}
