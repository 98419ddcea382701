using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.Identity.Data;
using ParPlatform.Identity.Management;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Identity.Tokens;

/// <summary>
/// <c>POST /api/identity/connect/password</c>: a user changes its password with the current one, anonymous like the
/// token endpoint, because a one-time password (from an administrator or an import) signs no one in until changed.
/// Wrong credentials count towards the lockout exactly as at sign-in.
/// </summary>
internal static class PasswordChange
{
    public sealed record ChangePasswordRequest(string UserName, string CurrentPassword, string NewPassword);

    public static async Task<Results<NoContent, BadRequestProblem>> HandleAsync(
        ChangePasswordRequest body, HttpContext context, Data.Accounts accounts, SecretHasher hasher, TokenEndpoint tokens,
        AccessAudit audit, TenantDataSource dataSource, TimeProvider clock)
    {
        var user = await accounts.FindUserAsync(body.UserName ?? "");
        var check = hasher.Verify(user?.PasswordHash, body.CurrentPassword ?? "");
        if (await tokens.CheckPasswordAsync(user, check, context, grantType: null, body.UserName, allowOneTime: true) is not null)
        {
            return IdentityProblems.InvalidCredentials.With("The user name or current password is wrong, or the account is locked.");
        }
        if (PasswordPolicy.Check(body.NewPassword, user!.Username) is { } weak)
        {
            return IdentityProblems.WeakPassword.WithField("newPassword", weak);
        }
        if (body.NewPassword == body.CurrentPassword)
        {
            return IdentityProblems.WeakPassword.WithField("newPassword", "The new password must differ from the current one.");
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await AccountData.SetPasswordAsync(connection, user.Id, hasher.Hash(body.NewPassword), mustChange: false, clock.GetUtcNow());
        }
        await audit.RecordAsync(new(AuditEvents.PasswordChanged, null, user.Username, user.TenantId, null) { Target = user.Username }, context);
        return TypedResults.NoContent();
    }
}
