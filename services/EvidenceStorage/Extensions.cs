using ParPlatform.Contracts;

namespace ParPlatform.EvidenceStorage;

internal static class Extensions
{
    /// <summary>Every dependency of the evidence-storage service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.EvidenceStorage, ResourceNames.EvidenceDb, typeof(Program).Assembly);
    }
}
