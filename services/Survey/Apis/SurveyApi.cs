using ParPlatform.Contracts;

namespace ParPlatform.Survey.Apis;

internal static class SurveyApi
{
    public static RouteGroupBuilder MapSurveyApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Survey);
        return api;
    }
}
