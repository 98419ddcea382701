using ParPlatform.Contracts;
using ParPlatform.Identity.Tokens;

namespace ParPlatform.Identity.Apis;

internal static class IdentityApi
{
    public static RouteGroupBuilder MapIdentityApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Identity);
        // Discovery (.well-known/openid-configuration) and the JWKS are answered by OpenIddict itself.
        api.MapPost("/connect/token", TokenEndpoint.HandleAsync).ExcludeFromDescription();
        return api;
    }
}
