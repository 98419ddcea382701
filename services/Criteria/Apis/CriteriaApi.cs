using ParPlatform.Contracts;

namespace ParPlatform.Criteria.Apis;

internal static class CriteriaApi
{
    public static RouteGroupBuilder MapCriteriaApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Criteria);
        return api;
    }
}
