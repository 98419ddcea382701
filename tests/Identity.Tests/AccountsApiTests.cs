using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using ParPlatform.Identity.Seed;
using ParPlatform.ServiceDefaults.Messaging;
using static ParPlatform.Identity.Tests.AccountsFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>Provinces and accounts managed by administrators (issue 13), on real PostgreSQL with the real criteria service.</summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountsApiTests(AccountsFixture platform)
{
    [Fact]
    public async Task The_Ministry_creates_a_province_whose_admin_changes_the_one_time_password_and_signs_in_with_its_name()
    {
        using var ministry = await platform.SignedInAsync("bo.quantri");
        using var response = await ministry.PostAsJsonAsync("/api/identity/tenants", new
        {
            code = "lai-chau", name = "Tỉnh Lai Châu",
            admin = new { userName = "lc.quantri", displayName = "Nguyễn Thị Hằng", email = "hang@laichau.gov.vn" },
        });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var oneTime = created.GetProperty("admin").GetProperty("oneTimePassword").GetString()!;
        Assert.Equal("provincial-admin", created.GetProperty("admin").GetProperty("account").GetProperty("role").GetString());
        Assert.Equal("lai-chau", created.GetProperty("admin").GetProperty("account").GetProperty("tenant").GetString());

        // The one-time password signs no one in until it is changed; the new one must pass the policy.
        using var first = await IdentityPlatformFixture.RequestTokenAsync(platform.Anonymous(), IdentityPlatformFixture.PasswordGrant("lc.quantri", oneTime));
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Contains("must be changed", await first.Content.ReadAsStringAsync());
        foreach (var weak in new[] { "short1!", "lc.quantri-2026!", "matkhau@123" })
        {
            using var refused = await platform.Anonymous().PostAsJsonAsync("/api/identity/connect/password",
                new { userName = "lc.quantri", currentPassword = oneTime, newPassword = weak });
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("urn:par:identity:weak-password", problem.GetProperty("type").GetString());
            Assert.Equal("newPassword", problem.GetProperty("field").GetString());
        }
        await platform.ChangePasswordAsync("lc.quantri", oneTime, "Đèo Pha Đin 2026");

        using var admin = await platform.SignedInAsync("lc.quantri", "Đèo Pha Đin 2026");
        var token = new JsonWebToken(admin.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal("Nguyễn Thị Hằng", token.GetClaim("name").Value);
        Assert.Equal("lai-chau", token.GetClaim("par:tenant").Value);
        var tenants = await admin.GetFromJsonAsync<JsonElement>("/api/identity/tenants");
        Assert.Equal(["lai-chau"], tenants.EnumerateArray().Select(t => t.GetProperty("code").GetString()));
        Assert.Equal(1, await platform.AuditCountAsync("tenant-created", "bo.quantri", "lai-chau"));
        Assert.Equal(1, await platform.AuditCountAsync("password-changed", "lc.quantri"));
    }

    [Fact]
    public async Task A_provincial_admin_creates_a_unit_officer_who_signs_in_bound_to_its_unit()
    {
        using var admin = await platform.SignedInAsync("qn.quantri");
        var (id, oneTime) = await CreateAsync(admin, new
        {
            userName = "qn.tuphap.tran", displayName = "Trần Văn Đức", email = "duc@tuphap.quangninh.gov.vn", phone = "0203 3835 123",
            role = "unit-officer", unitId = SoTuPhap,
        });
        Assert.Matches("^[A-Za-z2-9]{5}-[A-Za-z2-9]{5}-[A-Za-z2-9]{5}$", oneTime);
        await platform.ChangePasswordAsync("qn.tuphap.tran", oneTime, "Vịnh Hạ Long kỳ quan");
        using var officer = await platform.SignedInAsync("qn.tuphap.tran", "Vịnh Hạ Long kỳ quan");
        var token = new JsonWebToken(officer.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(SoTuPhap, token.GetClaim("par:unit").Value);
        Assert.Equal("unit-officer", token.GetClaim("role").Value);

        var account = await admin.GetFromJsonAsync<JsonElement>($"/api/identity/accounts/{id}");
        Assert.Equal("Trần Văn Đức", account.GetProperty("displayName").GetString());
        Assert.False(account.GetProperty("mustChangePassword").GetBoolean());
        // The password is stored only as a hash.
        await using var connection = await platform.SuperuserAsync();
        var stored = await connection.QuerySingleAsync<string>("SELECT u::text FROM users u WHERE username = 'qn.tuphap.tran'");
        Assert.DoesNotContain(oneTime, stored);
        Assert.DoesNotContain("Vịnh Hạ Long kỳ quan", stored);
    }

    public static TheoryData<string, object, int, string, string> InvalidAccounts => new()
    {
        { "qn.quantri", new { userName = "qn.quantri", displayName = "X", role = "viewer" }, 409, "duplicate-user-name", "userName" },
        { "qn.quantri", new { userName = "qn.x1", displayName = "X", role = "super-admin" }, 400, "unknown-role", "role" },
        { "qn.quantri", new { userName = "qn.x2", displayName = "X", role = "national-admin", tenant = "national" }, 403, "forbidden", "" },
        { "qn.quantri", new { userName = "qn.x3", displayName = "X", role = "national-admin" }, 403, "forbidden-role", "role" },
        { "qn.quantri", new { userName = "qn.x4", displayName = "X", role = "unit-officer" }, 400, "unit-required", "unitId" },
        { "qn.quantri", new { userName = "qn.x5", displayName = "X", role = "unit-leader", unitId = Guid.NewGuid() }, 400, "unknown-unit", "unitId" },
        { "qn.quantri", new { userName = "qn.x6", displayName = "X", role = "appraiser", unitId = SoTuPhap }, 400, "unit-not-allowed", "unitId" },
        { "qn.quantri", new { userName = "qn.x7", displayName = "X", role = "viewer", email = "not-an-email" }, 400, "invalid-email", "email" },
        { "qn.quantri", new { userName = "Has Spaces", displayName = "X", role = "viewer" }, 400, "invalid-user-name", "userName" },
        // The Ministry sees every unit, so a unit of another tenant is named as such.
        { "bo.quantri", new { userName = "lc.x8", displayName = "X", role = "unit-officer", unitId = SoTuPhap, tenant = "lai-chau-2" }, 400, "unknown-tenant", "tenant" },
        { "bo.quantri", new { userName = "bn.x9", displayName = "X", role = "unit-officer", unitId = SoTuPhap, tenant = "bac-ninh-test" }, 400, "unit-of-another-tenant", "unitId" },
    };

    [Theory]
    [MemberData(nameof(InvalidAccounts))]
    public async Task Bad_input_answers_a_problem_naming_the_field(string caller, object body, int status, string code, string field)
    {
        await EnsureTenantAsync("bac-ninh-test");
        using var admin = await platform.SignedInAsync(caller);
        using var response = await admin.PostAsJsonAsync("/api/identity/accounts", body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"urn:par:identity:{code}", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (field.Length > 0)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Any_signed_in_role_reads_its_provinces_registered_name_and_the_Ministry_every_provinces()
    {
        // A unit officer prints its report headed by its province; that is all the register tells it.
        using var officer = await platform.SignedInAsync("qn.tuphap.canbo");
        var province = await officer.GetFromJsonAsync<JsonElement>("/api/identity/tenants/quang-ninh");
        Assert.Equal(("quang-ninh", "Tỉnh Quảng Ninh"), (province.GetProperty("code").GetString(), province.GetProperty("name").GetString()));
        // Another tenant's code answers as an unregistered one does.
        foreach (var other in new[] { "national", "khong-co" })
        {
            using var unknown = await officer.GetAsync($"/api/identity/tenants/{other}");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("urn:par:identity:not-found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
        using var ministry = await platform.SignedInAsync("bo.quantri");
        Assert.Equal("Tỉnh Quảng Ninh", (await ministry.GetFromJsonAsync<JsonElement>("/api/identity/tenants/quang-ninh")).GetProperty("name").GetString());
        using var accounts = await officer.GetAsync("/api/identity/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, accounts.StatusCode);
        using var anonymous = await platform.Anonymous().GetAsync("/api/identity/tenants/quang-ninh");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Lists_search_and_page_within_the_callers_tenant_only()
    {
        using var admin = await platform.SignedInAsync("qn.quantri");
        for (var index = 1; index <= 3; index++)
        {
            await CreateAsync(admin, new { userName = $"qn.noivu.list{index}", displayName = $"Phạm Minh Tâm {index}", role = "unit-leader", unitId = SoNoiVu });
        }
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/identity/accounts?search=minh%20t%C3%A2m&pageSize=2&page=2");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(["Phạm Minh Tâm 3"], page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("displayName").GetString()));
        // Without diacritics, as people type on a keyboard without a Vietnamese layout.
        var plain = await admin.GetFromJsonAsync<JsonElement>("/api/identity/accounts?search=pham%20minh%20tam");
        Assert.Equal(3, plain.GetProperty("total").GetInt32());

        var all = await admin.GetFromJsonAsync<JsonElement>("/api/identity/accounts?pageSize=200");
        Assert.All(all.GetProperty("items").EnumerateArray(), a => Assert.Equal("quang-ninh", a.GetProperty("tenant").GetString()));
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), a => a.GetProperty("userName").GetString() == "bo.quantri");
        // Even naming another tenant: a provincial admin's list stays its own.
        var other = await admin.GetFromJsonAsync<JsonElement>("/api/identity/accounts?tenant=national");
        Assert.DoesNotContain(other.GetProperty("items").EnumerateArray(), a => a.GetProperty("tenant").GetString() != "quang-ninh");

        using var ministry = await platform.SignedInAsync("bo.quantri");
        var national = await ministry.GetFromJsonAsync<JsonElement>("/api/identity/accounts?tenant=national");
        Assert.Contains(national.GetProperty("items").EnumerateArray(), a => a.GetProperty("userName").GetString() == "bo.quantri");
        var bo = national.GetProperty("items").EnumerateArray().First(a => a.GetProperty("userName").GetString() == "bo.quantri");
        using var hidden = await admin.GetAsync($"/api/identity/accounts/{bo.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var badPage = await admin.GetAsync("/api/identity/accounts?pageSize=1000");
        Assert.Equal("pageSize", (await badPage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Disabling_stops_sign_in_and_a_disabled_admin_gets_401_until_re_enabled()
    {
        using var ministry = await platform.SignedInAsync("bo.quantri");
        using var qn = await platform.SignedInAsync("qn.quantri");
        var (adminId, adminOneTime) = await CreateAsync(ministry, new { userName = "qn.quantri2", displayName = "Quản trị 2", role = "provincial-admin", tenant = "quang-ninh" });
        await platform.ChangePasswordAsync("qn.quantri2", adminOneTime, "Bãi Cháy mùa hè 2026");
        using var second = await platform.SignedInAsync("qn.quantri2", "Bãi Cháy mùa hè 2026");

        using (var disable = await qn.PostAsync($"/api/identity/accounts/{adminId}/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            Assert.True((await disable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        }
        // Its token has not expired, but the account it names is disabled: refused at once.
        using (var acting = await second.GetAsync("/api/identity/accounts"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, acting.StatusCode);
            Assert.Equal("urn:par:identity:unauthorized", (await acting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
        using (var signIn = await IdentityPlatformFixture.RequestTokenAsync(platform.Anonymous(), IdentityPlatformFixture.PasswordGrant("qn.quantri2", "Bãi Cháy mùa hè 2026")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        }

        (await qn.PostAsync($"/api/identity/accounts/{adminId}/enable", null)).EnsureSuccessStatusCode();
        using (var again = await second.GetAsync("/api/identity/accounts"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        // A reset issues a new one-time password that must be changed again.
        var reset = await (await qn.PostAsync($"/api/identity/accounts/{adminId}/reset-password", null)).Content.ReadFromJsonAsync<JsonElement>();
        using (var old = await IdentityPlatformFixture.RequestTokenAsync(platform.Anonymous(), IdentityPlatformFixture.PasswordGrant("qn.quantri2", "Bãi Cháy mùa hè 2026")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }
        await platform.ChangePasswordAsync("qn.quantri2", reset.GetProperty("oneTimePassword").GetString()!, "Cô Tô biển xanh 2026");
        Assert.Equal(1, await platform.AuditCountAsync("account-disabled", "qn.quantri", "qn.quantri2"));
        Assert.Equal(1, await platform.AuditCountAsync("account-enabled", "qn.quantri", "qn.quantri2"));
        Assert.Equal(1, await platform.AuditCountAsync("password-reset", "qn.quantri", "qn.quantri2"));

        // Only administrators manage accounts; nobody disables itself.
        using var viewer = await platform.SignedInAsync("qn.xem");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/identity/accounts")).StatusCode);
        var self = (await qn.GetFromJsonAsync<JsonElement>("/api/identity/accounts?search=qn.quantri&pageSize=200")).GetProperty("items")
            .EnumerateArray().First(a => a.GetProperty("userName").GetString() == "qn.quantri").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await qn.PostAsync($"/api/identity/accounts/{self}/disable", null)).StatusCode);
    }

    [Fact]
    public async Task Edits_change_profile_role_and_unit_and_are_audited()
    {
        using var admin = await platform.SignedInAsync("qn.quantri");
        var (id, _) = await CreateAsync(admin, new { userName = "qn.edit.me", displayName = "Lê Văn A", role = "viewer" });
        using var response = await admin.PutAsJsonAsync($"/api/identity/accounts/{id}",
            new { displayName = "Lê Văn Ánh", email = "anh@quangninh.gov.vn", phone = "0912345678", role = "unit-leader", unitId = SoNoiVu });
        var account = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Lê Văn Ánh", account.GetProperty("displayName").GetString());
        Assert.Equal(SoNoiVu, account.GetProperty("unitId").GetString());
        Assert.Equal("unit-leader", account.GetProperty("role").GetString());
        using var bad = await admin.PutAsJsonAsync($"/api/identity/accounts/{id}", new { displayName = "", role = "viewer" });
        Assert.Equal("displayName", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(1, await platform.AuditCountAsync("account-updated", "qn.quantri", "qn.edit.me"));
    }

    [Fact]
    public async Task The_audit_lists_admin_actions_with_the_forwarded_address_within_the_callers_tenant()
    {
        using var admin = await platform.SignedInAsync("qn.quantri");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/accounts")
        {
            Content = JsonContent.Create(new { userName = "qn.audit.me", displayName = "Đỗ Thu Hà", role = "viewer" }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        (await admin.SendAsync(request)).EnsureSuccessStatusCode();

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/identity/audit?account=qn.audit.me");
        var row = audit.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("event").GetString() == "account-created");
        Assert.Equal("qn.quantri", row.GetProperty("subject").GetString());
        Assert.Equal("203.0.113.7", row.GetProperty("remoteAddress").GetString());
        var everything = await admin.GetFromJsonAsync<JsonElement>("/api/identity/audit?pageSize=200");
        Assert.All(everything.GetProperty("items").EnumerateArray(), r => Assert.Equal("quang-ninh", r.GetProperty("tenant").GetString()));
    }

    private async Task EnsureTenantAsync(string code)
    {
        await using var connection = await platform.SuperuserAsync();
        await connection.ExecuteAsync("INSERT INTO tenants (id, name) VALUES (@code, @code) ON CONFLICT DO NOTHING", new { code });
    }
}
