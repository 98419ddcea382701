using System.Text.Json.Serialization;
using ParPlatform.Contracts;
using ParPlatform.Ranking.Consumers;
using ParPlatform.Ranking.Live;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;

namespace ParPlatform.Ranking;

internal static class Extensions
{
    /// <summary>Every dependency of the ranking service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Registered before the bus, so it starts before consumers run and stops only after they have stopped.
        builder.Services.AddSingleton<SurveyInputCoalescer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SurveyInputCoalescer>());
        builder.AddPlatformService(ResourceNames.Ranking, ResourceNames.RankingDb, typeof(Program).Assembly, bus =>
        {
            bus.AddConsumer<AppraisalFinalizedConsumer>();
            bus.AddConsumer<RoundApplicabilityChangedConsumer>();
            bus.AddConsumer<SurveyScoresUpdatedConsumer>().Endpoint(endpoint =>
            {
                // Enough events in flight at once for the coalescer to group a campaign's bursts.
                endpoint.ConcurrentMessageLimit = SurveyInputCoalescer.ConcurrentConsumers;
                endpoint.PrefetchCount = SurveyInputCoalescer.ConcurrentConsumers * 2;
            });
        });
        builder.AddCriteriaClient();
        builder.Services.AddSingleton<LiveTableCache>();
        builder.Services.AddSingleton<RankingTables>();
        // The tie-break is a documented policy of the service (appsettings.json), not deployment configuration.
        builder.Services.AddSingleton(new RankingOptions(builder.Configuration.GetValue("Ranking:TieBreak", TieBreak.None)));
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
    }
}
