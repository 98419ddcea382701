using ParPlatform.Contracts;

namespace ParPlatform.Identity;

internal static class Extensions
{
    /// <summary>Every dependency of the identity service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Identity, ResourceNames.IdentityDb, typeof(Program).Assembly);
    }
}
