using MassTransit;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;

namespace ParPlatform.Ranking.Consumers;

/// <summary>Stores a unit's survey points (highest sequence wins) and rescores the unit; redelivery changes nothing.</summary>
public sealed class SurveyScoresUpdatedConsumer(TenantDataSource dataSource, CriteriaDirectory criteria, TimeProvider clock)
    : IConsumer<SurveyScoresUpdated>
{
    public Task Consume(ConsumeContext<SurveyScoresUpdated> context)
    {
        var message = context.Message;
        return UnitInputTransaction.ApplyAsync(dataSource, criteria, clock, message.RoundId, message.TenantId, message.UnitId,
            context.MessageId, nameof(SurveyScoresUpdatedConsumer),
            (connection, transaction, now) => InputData.SaveSurveyAsync(connection, transaction, message, now),
            context.CancellationToken);
    }
}
