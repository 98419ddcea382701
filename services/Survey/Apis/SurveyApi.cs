using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults;

namespace ParPlatform.Survey.Apis;

internal static class SurveyApi
{
    public static RouteGroupBuilder MapSurveyApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Survey);
        if (app.Services.GetRequiredService<SurveyOptions>().Mode.RunsApi())
        {
            api.MapQuestionnairesApi();
            api.MapResponsesApi();
            api.MapImportsApi();
            api.MapScoresApi();
            api.MapOpsApi();
        }
        return api;
    }
}
