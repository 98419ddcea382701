using ParPlatform.Contracts;

namespace ParPlatform.Submission;

internal static class Extensions
{
    /// <summary>Every dependency of the submission service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Submission, ResourceNames.SubmissionDb, typeof(Program).Assembly);
    }
}
