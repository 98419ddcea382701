using ParPlatform.Contracts;

namespace ParPlatform.Identity.Apis;

internal static class IdentityApi
{
    public static RouteGroupBuilder MapIdentityApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Identity);
        return api;
    }
}
