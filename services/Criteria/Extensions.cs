using ParPlatform.Contracts;

namespace ParPlatform.Criteria;

internal static class Extensions
{
    /// <summary>Every dependency of the criteria service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Criteria, ResourceNames.CriteriaDb, typeof(Program).Assembly);
    }
}
