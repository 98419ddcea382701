using ParPlatform.Contracts;
using ParPlatform.Criteria.Apis;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Seed;
using ParPlatform.ServiceDefaults;

namespace ParPlatform.Criteria;

internal static class Extensions
{
    /// <summary>Every dependency of the criteria service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Criteria, ResourceNames.CriteriaDb, typeof(Program).Assembly);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SetReader>();
        builder.Services.AddSingleton<SetWriter>();
        // Registered after the migrator, so it runs once the schema exists; the AppHost sets Seed__Demo=true.
        if (builder.Configuration.GetValue<bool>("Seed:Demo"))
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }
    }
}
