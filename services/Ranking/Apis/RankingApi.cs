using ParPlatform.Contracts;

namespace ParPlatform.Ranking.Apis;

internal static class RankingApi
{
    public static RouteGroupBuilder MapRankingApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Ranking);
        return api;
    }
}
