using ParPlatform.Contracts;

namespace ParPlatform.Ranking;

internal static class Extensions
{
    /// <summary>Every dependency of the ranking service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Ranking, ResourceNames.RankingDb, typeof(Program).Assembly);
    }
}
