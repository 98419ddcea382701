using ParPlatform.Contracts;

namespace ParPlatform.Submission.Apis;

internal static class SubmissionApi
{
    public static RouteGroupBuilder MapSubmissionApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Submission);
        return api;
    }
}
