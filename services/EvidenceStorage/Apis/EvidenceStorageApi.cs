using ParPlatform.Contracts;

namespace ParPlatform.EvidenceStorage.Apis;

internal static class EvidenceStorageApi
{
    public static RouteGroupBuilder MapEvidenceStorageApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.EvidenceStorage);
        return api;
    }
}
