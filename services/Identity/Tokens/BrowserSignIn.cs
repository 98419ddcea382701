using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using ParPlatform.Identity.Data;
using ParPlatform.Identity.Management;
using ParPlatform.ServiceDefaults.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ParPlatform.Identity.Tokens;

/// <summary>
/// Signing in from a browser app: OpenIddict's authorization endpoint (code flow with PKCE) answered by a small
/// server-rendered login form (no script, nothing from elsewhere), and its end-session endpoint (sign-out).
/// The form posts back to the authorization endpoint with the original request's parameters, so OpenIddict validates
/// the same request again (client, redirect address, PKCE challenge) before a code is issued.
/// </summary>
internal static class BrowserSignIn
{
    private const string LoginMarker = "par_login";
    private static readonly HashSet<string> FormFields = [Parameters.Username, Parameters.Password, "new_password", LoginMarker];

    public static async Task<IResult> AuthorizeAsync(
        HttpContext context, Data.Accounts accounts, SecretHasher hasher, TokenEndpoint tokens, AccessAudit audit,
        TenantDataSource dataSource, TimeProvider clock)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        if (!HttpMethods.IsPost(context.Request.Method) || request.GetParameter(LoginMarker) is null)
        {
            return Page(request, null, changePassword: false);
        }
        var user = await accounts.FindUserAsync(request.Username ?? "");
        var check = hasher.Verify(user?.PasswordHash, request.Password ?? "");
        var reason = await tokens.CheckPasswordAsync(user, check, context, GrantTypes.AuthorizationCode, request.Username);
        if (reason == TokenEndpoint.PasswordChangeRequired)
        {
            var chosen = (string?)request.GetParameter("new_password");
            if (string.IsNullOrEmpty(chosen))
            {
                return Page(request, "Mật khẩu này dùng một lần: hãy đặt mật khẩu mới.", changePassword: true);
            }
            if (PasswordPolicy.Check(chosen, user!.Username) is { } weak || chosen == request.Password)
            {
                return Page(request, "Mật khẩu mới chưa đạt yêu cầu: ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến.", changePassword: true);
            }
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await AccountData.SetPasswordAsync(connection, user.Id, hasher.Hash(chosen), mustChange: false, clock.GetUtcNow());
            }
            await audit.RecordAsync(new(AuditEvents.PasswordChanged, GrantTypes.AuthorizationCode, user.Username, user.TenantId, null) { Target = user.Username }, context);
            reason = null;
        }
        if (reason is not null)
        {
            return Page(request, "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang bị khoá.", changePassword: false);
        }
        await accounts.RecordSignInAsync(user!.Id, check == SecretCheck.SuccessRehashNeeded ? hasher.Hash(request.Password!) : null);
        await audit.RecordAsync(new(AuditEvents.SignIn, GrantTypes.AuthorizationCode, user.Username, user.TenantId, null), context);
        return await tokens.SignInBrowserAsync(user, request.GetScopes(), Guid.CreateVersion7());
    }

    /// <summary>Sign-out: every refresh token of the person named by the id_token_hint is revoked; then back to the app.</summary>
    public static async Task<IResult> SignOutAsync(HttpContext context, RefreshTokens refreshTokens, Data.Accounts accounts, AccessAudit audit)
    {
        var hint = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (Guid.TryParse(hint?.GetClaim(Claims.Subject), out var userId) && await accounts.FindUserAsync(userId) is { } user)
        {
            await refreshTokens.RevokeAllAsync(userId);
            await audit.RecordAsync(new(AuditEvents.SignedOut, null, user.Username, user.TenantId, null), context);
        }
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Page(OpenIddictRequest request, string? error, bool changePassword)
    {
        // The five characters that matter in text and quoted attributes; Vietnamese letters stay readable as UTF-8.
        static string E(string? value) => (value ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
            .Replace("\"", "&quot;").Replace("'", "&#39;");
        var hidden = new StringBuilder();
        foreach (var (name, value) in request.GetParameters().Where(parameter => !FormFields.Contains(parameter.Key)))
        {
            hidden.Append($"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value.ToString())}\">");
        }
        var html = $"""
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Đăng nhập - Chỉ số CCHC</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem{"}"}
            label{"{"}display:block;margin:.8rem 0 .2rem{"}"}input[type=text],input[type=password]{"{"}width:100%;padding:.5rem;box-sizing:border-box{"}"}
            button{"{"}margin-top:1.2rem;padding:.6rem 1.2rem{"}"}.error{"{"}color:#b00020{"}"}</style></head>
            <body><h1>Đăng nhập</h1><p>Hệ thống Chỉ số cải cách hành chính</p>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="authorize">{hidden}<input type="hidden" name="{LoginMarker}" value="1">
            <label for="username">Tên đăng nhập</label><input type="text" id="username" name="username" autocomplete="username" required value="{E(request.Username)}">
            <label for="password">Mật khẩu</label><input type="password" id="password" name="password" autocomplete="current-password" required>
            {(changePassword ? """<label for="new_password">Mật khẩu mới</label><input type="password" id="new_password" name="new_password" autocomplete="new-password" required minlength="10">""" : "")}
            <button type="submit">Đăng nhập</button></form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, error is null ? 200 : 400);
    }
}
