using System.Net;
using Dapper;
using ParPlatform.Identity.Management;
using ParPlatform.Identity.Seed;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>The password policy and the lockout with growing delays.</summary>
[Collection(AccountsCollection.Name)]
public sealed class PasswordPolicyTests(AccountsFixture platform)
{
    [Theory]
    [InlineData("ngắn", "at least")]
    [InlineData("nguyen.van.a.2026", "user name")]
    [InlineData("xx-nguyen-xx-1", "part of the user name")]
    [InlineData("Password@123", "too common")]
    [InlineData("aaaaaaaaaaaa", "too common")]
    public void Weak_passwords_are_refused_with_the_reason(string password, string reason) =>
        Assert.Contains(reason, PasswordPolicy.Check(password, "nguyen.van.a"));

    [Fact]
    public void Long_passphrases_and_one_time_passwords_pass()
    {
        Assert.Null(PasswordPolicy.Check("Đèo Pha Đin 2026", "nguyen.van.a"));
        Assert.Null(PasswordPolicy.Check(PasswordPolicy.OneTimePassword("nguyen.van.a"), "nguyen.van.a"));
    }

    [Fact]
    public async Task Repeated_failures_lock_with_doubling_delays_and_are_audited()
    {
        await using var connection = await platform.SuperuserAsync();
        var http = platform.Anonymous();
        async Task<TimeSpan?> LockAfterFailureAsync()
        {
            // The lock is lifted in the database (as time passing would) so the next attempt is a real failure again.
            await connection.ExecuteAsync("UPDATE users SET locked_until = NULL WHERE username = 'qn.thamdinh'");
            (await RequestTokenAsync(http, PasswordGrant("qn.thamdinh", "sai-mat-khau"))).Dispose();
            var until = await connection.QuerySingleAsync<DateTime?>("SELECT locked_until FROM users WHERE username = 'qn.thamdinh'");
            return until - DateTime.UtcNow;
        }
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Null(await LockAfterFailureAsync());
        }
        var first = await LockAfterFailureAsync();
        var second = await LockAfterFailureAsync();
        var third = await LockAfterFailureAsync();
        Assert.InRange(first!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(61));
        Assert.InRange(second!.Value, TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(121));
        Assert.InRange(third!.Value, TimeSpan.FromSeconds(230), TimeSpan.FromSeconds(241));

        // While locked even the right password is refused; the lock, once over, lets it in and resets the count.
        using var locked = await RequestTokenAsync(http, PasswordGrant("qn.thamdinh", DemoAccounts.Password));
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Equal(3, await platform.AuditCountAsync("locked-out", "qn.thamdinh"));
        await connection.ExecuteAsync("UPDATE users SET locked_until = NULL WHERE username = 'qn.thamdinh'");
        await TokenAsync(http, PasswordGrant("qn.thamdinh", DemoAccounts.Password));
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT failed_attempts FROM users WHERE username = 'qn.thamdinh'"));
    }
}
