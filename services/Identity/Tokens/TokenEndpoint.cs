using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using ParPlatform.Identity.Data;
using ParPlatform.ServiceDefaults.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ParPlatform.Identity.Tokens;

/// <summary>
/// <c>POST /api/identity/connect/token</c>. OpenIddict parses and validates the OAuth 2.0 request and writes the
/// response; this decides who the caller is (password grant for officials, client credentials for machines).
/// </summary>
internal sealed class TokenEndpoint(
    Accounts accounts, SecretHasher hasher, AccessAudit audit, RefreshTokens refreshTokens, TokenSettings settings, TimeProvider clock)
{
    private const string WrongCredentials = "The username or password is wrong, or the account is locked.";

    public static Task<IResult> HandleAsync(HttpContext context, TokenEndpoint endpoint) => endpoint.IssueAsync(context);

    private async Task<IResult> IssueAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        return request.IsPasswordGrantType() ? await PasswordAsync(request, context)
            : request.IsClientCredentialsGrantType() ? await ClientCredentialsAsync(request, context)
            : request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType() ? await FromGrantAsync(request, context)
            : Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private async Task<IResult> PasswordAsync(OpenIddictRequest request, HttpContext context)
    {
        var user = await accounts.FindUserAsync(request.Username ?? "");
        // Always hash, so response time does not reveal whether the username exists.
        var check = hasher.Verify(user?.PasswordHash, request.Password ?? "");
        var reason = await CheckPasswordAsync(user, check, context, GrantTypes.Password, request.Username);
        if (reason is not null)
        {
            return reason == PasswordChangeRequired
                ? Refuse(Errors.InvalidGrant, "The password is a one-time password and must be changed first: POST /api/identity/connect/password.")
                // One answer for every other reason: a caller learns nothing about which accounts exist.
                : Refuse(Errors.InvalidGrant, WrongCredentials);
        }

        await accounts.RecordSignInAsync(user!.Id, check == SecretCheck.SuccessRehashNeeded ? hasher.Hash(request.Password!) : null);
        await audit.RecordAsync(new(AuditEvents.SignIn, GrantTypes.Password, user.Username, user.TenantId, null), context);
        return SignIn(user);
    }

    public const string PasswordChangeRequired = "password-change-required";

    /// <summary>
    /// Why a presented password does not sign the user in (audited as such, with lockouts), or null when it does.
    /// Shared by the password grant, the login page and the change of password.
    /// </summary>
    public async Task<string?> CheckPasswordAsync(UserAccount? user, SecretCheck check, HttpContext context, string? grantType, string? presented, bool allowOneTime = false)
    {
        var now = clock.GetUtcNow();
        var reason = user switch
        {
            null => "unknown-user",
            { IsActive: false } => "inactive",
            { LockedUntil: { } until } when until > now => "locked-out",
            _ when check == SecretCheck.Failed => "wrong-password",
            { MustChangePassword: true } when !allowOneTime => PasswordChangeRequired,
            _ => null,
        };
        if (reason is null)
        {
            return null;
        }
        if (reason == "wrong-password"
            && await accounts.RecordFailedPasswordAsync(user!.Id, settings.LockoutAttempts, settings.LockoutDuration, settings.MaxLockoutDuration, now) is { } lockedUntil)
        {
            await audit.RecordAsync(new(AuditEvents.LockedOut, grantType, user.Username, user.TenantId, $"until {lockedUntil:O}"), context);
        }
        await audit.RecordAsync(new(AuditEvents.GrantRefused, grantType, presented, user?.TenantId, reason), context);
        return reason;
    }

    /// <summary>
    /// A browser's authorization code or refresh token (both validated by OpenIddict: signature, expiry, client,
    /// PKCE verifier). The account is read again, so a disabled one gets nothing, and a changed role or unit shows
    /// in the next token; a refresh token is used once and replaced (rotation; a reused one revokes its family).
    /// </summary>
    private async Task<IResult> FromGrantAsync(OpenIddictRequest request, HttpContext context)
    {
        var grant = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = Guid.TryParse(grant?.GetClaim(Claims.Subject), out var userId) ? await accounts.FindUserAsync(userId) : null;
        var grantType = request.GrantType;
        if (user is not { IsActive: true })
        {
            await audit.RecordAsync(new(AuditEvents.GrantRefused, grantType, user?.Username, user?.TenantId, "inactive"), context);
            return Refuse(Errors.InvalidGrant, "The account is disabled.");
        }
        var family = Guid.TryParse(grant!.GetClaim(RefreshTokens.FamilyClaim), out var known) ? known : Guid.CreateVersion7();
        if (request.IsRefreshTokenGrantType()
            && !(Guid.TryParse(grant!.GetClaim(RefreshTokens.TokenIdClaim), out var tokenId) && await refreshTokens.UseAsync(tokenId)))
        {
            await audit.RecordAsync(new(AuditEvents.GrantRefused, grantType, user.Username, user.TenantId, "refresh-token-reused"), context);
            return Refuse(Errors.InvalidGrant, "The refresh token was already used or revoked; sign in again.");
        }
        await audit.RecordAsync(new(AuditEvents.TokenGranted, grantType, user.Username, user.TenantId, null), context);
        return await SignInBrowserAsync(user, grant!.GetScopes(), family);
    }

    /// <summary>A browser sign-in's tokens: the person's claims, the granted scopes and, with offline_access, a new refresh token of the family.</summary>
    public async Task<IResult> SignInBrowserAsync(UserAccount user, IEnumerable<string> scopes, Guid family)
    {
        var principal = Principal(user.Id.ToString(), user.DisplayName, user.Role, user.TenantId, user.UnitId);
        principal.SetScopes(scopes);
        principal.SetAccessTokenLifetime(settings.BrowserAccessTokenLifetime);
        principal.SetRefreshTokenLifetime(settings.RefreshTokenLifetime);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.SetClaim(RefreshTokens.FamilyClaim, family.ToString());
        if (principal.HasScope(Scopes.OfflineAccess))
        {
            identity.SetClaim(RefreshTokens.TokenIdClaim, (await refreshTokens.IssueAsync(user.Id, user.TenantId, family)).ToString());
        }
        // The name also goes into the identity token, for the browser app to show who is signed in.
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            RefreshTokens.TokenIdClaim or RefreshTokens.FamilyClaim => [], // inside the refresh token only
            _ => [Destinations.AccessToken],
        });
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> ClientCredentialsAsync(OpenIddictRequest request, HttpContext context)
    {
        var client = await accounts.FindClientAsync(request.ClientId ?? "");
        var check = hasher.Verify(client?.SecretHash, request.ClientSecret ?? "");
        var reason = client switch
        {
            null => "unknown-client",
            { IsActive: false } => "inactive",
            _ when check == SecretCheck.Failed => "wrong-secret",
            _ => null,
        };
        if (reason is not null)
        {
            await audit.RecordAsync(new(AuditEvents.GrantRefused, GrantTypes.ClientCredentials, request.ClientId, client?.TenantId, reason), context);
            return Refuse(Errors.InvalidClient, "The client credentials are invalid.");
        }

        await audit.RecordAsync(new(AuditEvents.TokenGranted, GrantTypes.ClientCredentials, client!.ClientId, client.TenantId, null), context);
        return SignIn(client.ClientId, client.ClientId, client.Role, client.TenantId, unitId: null);
    }

    /// <summary>A person's tokens: the name claim is the display name, which services' audit trails show.</summary>
    public IResult SignIn(UserAccount user) => SignIn(user.Id.ToString(), user.DisplayName, user.Role, user.TenantId, user.UnitId);

    private IResult SignIn(string subject, string name, string role, string tenantId, string? unitId) =>
        Results.SignIn(Principal(subject, name, role, tenantId, unitId), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private ClaimsPrincipal Principal(string subject, string name, string role, string tenantId, string? unitId)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
            .SetClaim(Claims.Name, name)
            .SetClaim(PlatformClaims.Role, role)
            .SetClaim(PlatformClaims.Tenant, tenantId)
            .SetClaim(PlatformClaims.Unit, unitId);
        // Everything the services need to authorize travels in the (signed, not encrypted) access token.
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetResources(settings.Audience);
        return principal;
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
