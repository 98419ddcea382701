using MassTransit;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.Survey.Consumers;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;
using ParPlatform.Survey.Seed;

namespace ParPlatform.Survey;

internal static class Extensions
{
    /// <summary>Every dependency of the survey service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue("Survey:Mode", SurveyMode.Both);
        builder.Services.AddSingleton(new SurveyOptions(mode));

        builder.AddPlatformService(ResourceNames.Survey, ResourceNames.SurveyDb, typeof(Program).Assembly, bus =>
        {
            if (mode.RunsWorker())
            {
                bus.AddConsumer<StoreResponsesConsumer>(consumer => consumer.Options<BatchOptions>(options => options
                        .SetMessageLimit(StoreResponsesConsumer.MessageLimit)
                        .SetTimeLimit(TimeSpan.FromMilliseconds(250))
                        .SetConcurrencyLimit(StoreResponsesConsumer.ConcurrencyLimit)))
                    .Endpoint(endpoint =>
                    {
                        endpoint.Name = IntakeService.ResponsesQueue;
                        // A batch consumer's prefetch must cover every batch it may hold at once.
                        endpoint.PrefetchCount = StoreResponsesConsumer.MessageLimit * StoreResponsesConsumer.ConcurrencyLimit + 20;
                    });
            }
        });

        // Intake checks the round's window and units on every response: they are cached briefly, so a window an
        // administrator moves, or a unit added to the round, reaches intake within 30 s.
        builder.AddCriteriaClient(options => options.RoundLifetime = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<QuestionnaireData>();
        builder.Services.AddSingleton<ReceiptData>();
        builder.Services.AddSingleton<ScoreData>();
        builder.Services.AddSingleton<ImportData>();
        builder.Services.AddSingleton<ResponseStore>();
        builder.Services.AddSingleton<ResponseValidator>();
        builder.Services.AddSingleton<IntakeService>();
        builder.Services.AddSingleton<SingleResponseCoalescer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SingleResponseCoalescer>());
        builder.Services.AddSingleton<CsvImporter>();
        builder.Services.AddHostedService<ResponsesQueueDeclarer>();
        builder.Services.AddSingleton<IntakeMonitor>();
        builder.Services.AddSingleton<ErrorQueueReplayer>();
        if (mode.RunsApi())
        {
            builder.Services.AddHostedService<IntakeMonitorRefresher>();
        }
        if (builder.Configuration.GetValue<bool>("Seed:Demo") && mode.RunsApi())
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }
    }
}
