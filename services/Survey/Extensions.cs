using ParPlatform.Contracts;

namespace ParPlatform.Survey;

internal static class Extensions
{
    /// <summary>Every dependency of the survey service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Survey, ResourceNames.SurveyDb, typeof(Program).Assembly);
    }
}
