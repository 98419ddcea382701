using ParPlatform.Contracts;
using ParPlatform.Identity.Tokens;
using ParPlatform.ServiceDefaults;

namespace ParPlatform.Identity.Apis;

internal static class IdentityApi
{
    public static RouteGroupBuilder MapIdentityApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Identity);
        // Discovery (.well-known/openid-configuration) and the JWKS are answered by OpenIddict itself. The protocol's
        // own endpoints (connect/*) are public at the gateway and kept out of the OpenAPI document.
        api.MapPost("/connect/token", TokenEndpoint.HandleAsync).ExcludeFromDescription();
        api.MapPost("/connect/password", PasswordChange.HandleAsync).ExcludeFromDescription();
        api.MapMethods("/connect/authorize", ["GET", "POST"], BrowserSignIn.AuthorizeAsync).ExcludeFromDescription();
        api.MapMethods("/connect/logout", ["GET", "POST"], BrowserSignIn.SignOutAsync).ExcludeFromDescription();
        api.MapTenantsApi();
        api.MapAccountsApi();
        app.MapAccountStatusApi();
        return api;
    }
}
