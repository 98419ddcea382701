using MassTransit;
using ParPlatform.Contracts.Events;

namespace ParPlatform.Ranking.Consumers;

/// <summary>
/// Stores a unit's survey points (highest sequence wins) and rescores the unit; redelivery changes nothing. Events
/// consumed together share one transaction (<see cref="SurveyInputCoalescer"/>).
/// </summary>
public sealed class SurveyScoresUpdatedConsumer(SurveyInputCoalescer coalescer) : IConsumer<SurveyScoresUpdated>
{
    public Task Consume(ConsumeContext<SurveyScoresUpdated> context) =>
        coalescer.ApplyAsync(context.Message,
            context.MessageId ?? throw new InvalidOperationException("The message carries no id."), context.CancellationToken);
}
