using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults;

namespace ParPlatform.Criteria.Apis;

internal static class CriteriaApi
{
    /// <summary><c>/api/criteria</c>: sets, evaluated units with lineage, and assessment rounds.</summary>
    public static RouteGroupBuilder MapCriteriaApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Criteria);
        api.MapSetsApi();
        api.MapUnitsApi();
        api.MapRoundsApi();
        return api;
    }
}
