using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static ParPlatform.Platform.Tests.Gateway;

namespace ParPlatform.Platform.Tests;

/// <summary>
/// A new province onboarded end to end, through the gateway only, with real tokens (issue 13, step 7): the Ministry
/// registers Điện Biên's province unit and creates the tenant with its first admin; that admin sets its password,
/// registers three departments, imports a sheet of 40 accounts, clones a national set and opens a round; an imported
/// officer and leader self-assess and approve, an imported appraiser appraises. Quảng Ninh and Điện Biên then see none
/// of each other's rounds, units, accounts or assessments.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OnboardingTests(PlatformFixture platform)
{
    private const string Tenant = "dien-bien";
    private const string NewPassword = "Hoa-Ban-Trang#2026!";
    // Quảng Ninh's demo data (services/Criteria/Seed/SeedIds.cs).
    private static readonly Guid QuangNinhDepartmentSet2025 = Guid.Parse("10000000-0000-4000-8000-000000000003");
    private static readonly Guid QuangNinhDepartmentsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000001");
    private static readonly Guid SoTuPhapQuangNinh = Guid.Parse("20000000-0000-4000-8000-000000000012");

    private static readonly (string Code, string Name)[] Departments =
    [
        ("DB-SNV", "Sở Nội vụ tỉnh Điện Biên"),
        ("DB-STP", "Sở Tư pháp tỉnh Điện Biên"),
        ("DB-STC", "Sở Tài chính tỉnh Điện Biên"),
    ];

    [Fact]
    public async Task The_ministry_onboards_dien_bien_whose_accounts_run_a_round_and_neither_province_sees_the_other()
    {
        var gateway = platform.App.GatewayHttp;
        var year = DateTimeOffset.UtcNow.Year;
        using var ministry = await Gateway.SignInAsync(gateway, "bo.quantri");

        // 1. The Ministry registers the province unit in the national register and creates the tenant with its admin.
        var provinceUnit = await Json(await ministry.PostAsJsonAsync("/api/criteria/units", new
        {
            code = "DIEN-BIEN", name = "Tỉnh Điện Biên", type = "Province", validFrom = "2020-01-01", provinceTenantId = Tenant,
        }), HttpStatusCode.Created);
        var provinceUnitId = provinceUnit.GetProperty("id").GetGuid();
        var created = await Json(await ministry.PostAsJsonAsync("/api/identity/tenants", new
        {
            code = Tenant, name = "Tỉnh Điện Biên", provinceUnitId = provinceUnitId.ToString(),
            admin = new { userName = "db.quantri", displayName = "Nguyễn Văn An", email = "an@dienbien.gov.vn" },
        }), HttpStatusCode.Created);
        var adminOneTimePassword = created.GetProperty("admin").GetProperty("oneTimePassword").GetString()!;
        var tenants = await Json(await ministry.GetAsync("/api/identity/tenants"), HttpStatusCode.OK);
        Assert.Contains(tenants.EnumerateArray(), tenant => tenant.GetProperty("code").GetString() == Tenant
            && tenant.GetProperty("provinceUnitId").GetString() == provinceUnitId.ToString());

        // 2. The one-time password signs no one in; the admin changes it first.
        using (var anonymous = new HttpClient { BaseAddress = gateway })
        {
            var refused = await anonymous.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = "db.quantri", ["password"] = adminOneTimePassword,
            }));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        await ChangePasswordAsync(gateway, "db.quantri", adminOneTimePassword);
        using var admin = await Gateway.SignInAsync(gateway, "db.quantri", NewPassword);

        // 3. It registers its departments under its province unit.
        var unitIds = new Dictionary<string, Guid>();
        foreach (var (code, name) in Departments)
        {
            var unit = await Json(await admin.PostAsJsonAsync("/api/criteria/units", new
            {
                code, name, type = "Department", parentId = provinceUnitId, validFrom = "2020-01-01",
            }), HttpStatusCode.Created);
            Assert.Equal(Tenant, unit.GetProperty("tenantId").GetString());
            unitIds[code] = unit.GetProperty("id").GetGuid();
        }

        // 4. It imports 40 accounts: per department 10 officers and 2 leaders, then 2 appraisers, a survey operator, a viewer.
        var sheet = new StringBuilder("unit_code;full_name;email;role;user_name\n");
        var userNames = new List<string>();
        void Row(string? unitCode, string fullName, string role, string userName)
        {
            sheet.Append($"{unitCode};{fullName};{userName}@dienbien.gov.vn;{role};{userName}\n");
            userNames.Add(userName);
        }
        foreach (var (code, _) in Departments)
        {
            var prefix = "db." + code[3..].ToLowerInvariant();
            for (var i = 1; i <= 10; i++) Row(code, $"Cán bộ {i:00} {code}", "unit-officer", $"{prefix}.canbo{i:00}");
            for (var i = 1; i <= 2; i++) Row(code, $"Lãnh đạo {i} {code}", "Lãnh đạo đơn vị", $"{prefix}.lanhdao{i}");
        }
        Row(null, "Thẩm định viên Lò Văn Bình", "appraiser", "db.thamdinh1");
        Row(null, "Thẩm định viên Quàng Thị Mai", "Thẩm định viên", "db.thamdinh2");
        Row(null, "Điều tra viên Điện Biên", "survey-operator", "db.dieutra");
        Row(null, "Người xem Điện Biên", "viewer", "db.xem");
        Assert.Equal(40, userNames.Count);

        var dryRun = await Json(await admin.PostAsync("/api/identity/accounts/import?dryRun=true", Csv(sheet)), HttpStatusCode.OK);
        Assert.Equal(40, dryRun.GetProperty("toCreate").GetInt32());
        Assert.Equal(0, dryRun.GetProperty("invalid").GetInt32());
        var applied = await Json(await admin.PostAsync("/api/identity/accounts/import?dryRun=false", Csv(sheet)), HttpStatusCode.OK);
        var passwords = applied.GetProperty("created").EnumerateArray()
            .ToDictionary(row => row.GetProperty("userName").GetString()!, row => row.GetProperty("oneTimePassword").GetString()!);
        Assert.Equal(userNames.Order(), passwords.Keys.Order());

        // 5. It clones the national set (a published national department set, see the report) for this year and opens a round.
        var nationalSet = await Json(await ministry.PostAsJsonAsync($"/api/criteria/sets/{QuangNinhDepartmentSet2025}/clone",
            new { year, code = $"BNV-SO-{year}", name = $"Bộ tiêu chí mẫu cấp sở năm {year}" }), HttpStatusCode.Created);
        var nationalSetId = nationalSet.GetProperty("id").GetGuid();
        Assert.Equal("national", nationalSet.GetProperty("tenantId").GetString());
        await Json(await ministry.PostAsync($"/api/criteria/sets/{nationalSetId}/publish", null), HttpStatusCode.OK);

        var ownSet = await Json(await admin.PostAsJsonAsync($"/api/criteria/sets/{nationalSetId}/clone",
            new { year, code = $"DB-SO-{year}", name = $"Bộ tiêu chí cấp sở tỉnh Điện Biên năm {year}" }), HttpStatusCode.Created);
        var ownSetId = ownSet.GetProperty("id").GetGuid();
        Assert.Equal(Tenant, ownSet.GetProperty("tenantId").GetString());
        await Json(await admin.PostAsync($"/api/criteria/sets/{ownSetId}/publish", null), HttpStatusCode.OK);

        var now = DateTimeOffset.UtcNow;
        var selfAssessmentCloses = now.AddSeconds(90);
        var round = await Json(await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year, name = $"Đánh giá CCHC các sở tỉnh Điện Biên năm {year}", criteriaSetId = ownSetId, rankingGroup = "db-departments",
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-1), selfAssessmentClosesAt = selfAssessmentCloses,
                appraisalOpensAt = selfAssessmentCloses, appraisalClosesAt = now.AddHours(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = now.AddHours(2), publicationAt = now.AddHours(3),
            },
        }), HttpStatusCode.Created);
        var roundId = round.GetProperty("id").GetGuid();
        await Json(await admin.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units", new { unitIds = unitIds.Values }), HttpStatusCode.NoContent);

        // 6. An imported officer and leader of Sở Tư pháp change their one-time passwords, self-assess and approve.
        var signedIn = new Dictionary<string, HttpClient>();
        foreach (var userName in new[] { "db.stp.canbo01", "db.stp.lanhdao1", "db.thamdinh1" })
        {
            await ChangePasswordAsync(gateway, userName, passwords[userName]);
            signedIn[userName] = await Gateway.SignInAsync(gateway, userName, NewPassword);
        }
        using var officer = signedIn["db.stp.canbo01"];
        using var leader = signedIn["db.stp.lanhdao1"];
        using var appraiser = signedIn["db.thamdinh1"];
        var unitId = unitIds["DB-STP"];

        // An officer of another department may not start this one's assessment.
        using (var otherOfficer = await SignInImportedAsync(gateway, "db.stc.canbo01", passwords))
        {
            var refused = await otherOfficer.PostAsJsonAsync("/api/submission/assessments", new { roundId, unitId });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var assessment = await Json(await officer.PostAsJsonAsync("/api/submission/assessments", new { roundId, unitId }), HttpStatusCode.Created);
        var assessmentId = assessment.GetProperty("id").GetGuid();
        var items = assessment.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            await Json(await officer.PutAsJsonAsync($"/api/submission/assessments/{assessmentId}/items/{item.GetProperty("code").GetString()}", new
            {
                selfScore = item.GetProperty("maxPoints").GetDecimal(), explanation = "Sở Tư pháp giải trình: tài liệu kiểm chứng lưu tại Sở.",
            }), HttpStatusCode.OK);
        }
        await Json(await officer.PostAsync($"/api/submission/assessments/{assessmentId}/submit", null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"/api/submission/assessments/{assessmentId}/approve", null)).StatusCode);
        await Json(await leader.PostAsync($"/api/submission/assessments/{assessmentId}/approve", null), HttpStatusCode.OK);

        // 7. After the self-assessment window (server clock), the imported appraiser appraises and finalises.
        var wait = selfAssessmentCloses - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        await Json(await appraiser.PostAsync($"/api/submission/assessments/{assessmentId}/appraisal/start", null), HttpStatusCode.OK);
        var first = items[0];
        await Json(await appraiser.PutAsJsonAsync($"/api/submission/assessments/{assessmentId}/appraisal/items/{first.GetProperty("code").GetString()}",
            new { score = first.GetProperty("minPoints").GetDecimal(), comment = "Chưa đủ tài liệu kiểm chứng." }), HttpStatusCode.OK);
        var finalised = await Json(await appraiser.PostAsync($"/api/submission/assessments/{assessmentId}/appraisal/finalize", null), HttpStatusCode.OK);
        Assert.Equal("Finalized", finalised.GetProperty("status").GetString());

        // 8. Điện Biên's admin sees exactly its own: 41 accounts, its 3 units, its round; nothing of Quảng Ninh's.
        var ownAccounts = await Json(await admin.GetAsync("/api/identity/accounts?pageSize=200"), HttpStatusCode.OK);
        Assert.Equal(41, ownAccounts.GetProperty("total").GetInt32());
        var ownAccountItems = ownAccounts.GetProperty("items").EnumerateArray().ToList();
        Assert.All(ownAccountItems, account => Assert.Equal(Tenant, account.GetProperty("tenant").GetString()));
        Assert.Equal(userNames.Append("db.quantri").Order(), ownAccountItems.Select(account => account.GetProperty("userName").GetString()!).Order());
        var dienBienAccountIds = ownAccountItems.Select(account => account.GetProperty("id").GetGuid()).ToHashSet();

        var ownUnits = await Json(await admin.GetAsync("/api/criteria/units"), HttpStatusCode.OK);
        Assert.Equal(unitIds.Values.Order(), ownUnits.EnumerateArray().Select(unit => unit.GetProperty("id").GetGuid()).Order());
        var ownRounds = await Json(await admin.GetAsync("/api/criteria/rounds"), HttpStatusCode.OK);
        Assert.Equal([roundId], ownRounds.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList());
        var progress = await Json(await admin.GetAsync($"/api/submission/rounds/{roundId}/progress"), HttpStatusCode.OK);
        Assert.Equal(3, progress.GetProperty("units").GetInt32());
        Assert.Contains(progress.GetProperty("progress").EnumerateArray(), unit => unit.GetProperty("assessmentId").ValueKind == JsonValueKind.String
            && unit.GetProperty("assessmentId").GetGuid() == assessmentId);

        using var quangNinhAdmin = await Gateway.SignInAsync(gateway, "qn.quantri");
        var quangNinhAccounts = await Json(await quangNinhAdmin.GetAsync("/api/identity/accounts?pageSize=200"), HttpStatusCode.OK);
        var quangNinhAccountItems = quangNinhAccounts.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(quangNinhAccountItems);
        var quangNinhOfficerId = quangNinhAccountItems.Single(account => account.GetProperty("userName").GetString() == "qn.tuphap.canbo").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/identity/accounts/{quangNinhOfficerId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/criteria/rounds/{QuangNinhDepartmentsRound2024}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/criteria/units/{SoTuPhapQuangNinh}")).StatusCode);
        foreach (var dienBien in new[] { admin, officer, appraiser })
        {
            AssertHidden(await dienBien.GetAsync($"/api/submission/rounds/{QuangNinhDepartmentsRound2024}/units/{SoTuPhapQuangNinh}/assessment"));
        }
        AssertHidden(await admin.GetAsync($"/api/submission/rounds/{QuangNinhDepartmentsRound2024}/progress"));

        // 9. Quảng Ninh's accounts see none of Điện Biên's: not its accounts, units, round or assessment.
        Assert.All(quangNinhAccountItems, account =>
        {
            Assert.Equal("quang-ninh", account.GetProperty("tenant").GetString());
            Assert.DoesNotContain(account.GetProperty("id").GetGuid(), dienBienAccountIds);
        });
        Assert.Equal(0, (await Json(await quangNinhAdmin.GetAsync("/api/identity/accounts?search=dienbien"), HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await quangNinhAdmin.GetAsync($"/api/identity/accounts/{dienBienAccountIds.First()}")).StatusCode);
        var quangNinhUnits = await Json(await quangNinhAdmin.GetAsync("/api/criteria/units"), HttpStatusCode.OK);
        Assert.NotEmpty(quangNinhUnits.EnumerateArray());
        Assert.DoesNotContain(quangNinhUnits.EnumerateArray(), unit => unitIds.ContainsValue(unit.GetProperty("id").GetGuid()));
        var quangNinhRounds = await Json(await quangNinhAdmin.GetAsync("/api/criteria/rounds"), HttpStatusCode.OK);
        Assert.Contains(quangNinhRounds.EnumerateArray(), r => r.GetProperty("id").GetGuid() == QuangNinhDepartmentsRound2024);
        Assert.DoesNotContain(quangNinhRounds.EnumerateArray(), r => r.GetProperty("id").GetGuid() == roundId);
        Assert.Equal(HttpStatusCode.NotFound, (await quangNinhAdmin.GetAsync($"/api/criteria/rounds/{roundId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await quangNinhAdmin.GetAsync($"/api/criteria/units/{unitId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await quangNinhAdmin.GetAsync($"/api/criteria/sets/{ownSetId}")).StatusCode);
        AssertHidden(await quangNinhAdmin.GetAsync($"/api/submission/rounds/{roundId}/progress"));
        foreach (var userName in new[] { "qn.quantri", "qn.tuphap.canbo", "qn.tuphap.lanhdao", "qn.thamdinh" })
        {
            using var quangNinh = userName == "qn.quantri" ? null : await Gateway.SignInAsync(gateway, userName);
            var client = quangNinh ?? quangNinhAdmin;
            AssertHidden(await client.GetAsync($"/api/submission/assessments/{assessmentId}"));
            AssertHidden(await client.GetAsync($"/api/submission/assessments/{assessmentId}/audit"));
            AssertHidden(await client.GetAsync($"/api/submission/rounds/{roundId}/units/{unitId}/assessment"));
        }
        using var quangNinhAppraiser = await Gateway.SignInAsync(gateway, "qn.thamdinh");
        AssertHidden(await quangNinhAppraiser.PostAsJsonAsync($"/api/submission/assessments/{assessmentId}/reopen", new { reason = "Thử mở lại hồ sơ của tỉnh khác." }));
        var unchanged = await Json(await appraiser.GetAsync($"/api/submission/assessments/{assessmentId}"), HttpStatusCode.OK);
        Assert.Equal("Finalized", unchanged.GetProperty("status").GetString());
    }

    private static async Task ChangePasswordAsync(Uri gateway, string userName, string oneTimePassword)
    {
        using var anonymous = new HttpClient { BaseAddress = gateway };
        await Json(await anonymous.PostAsJsonAsync("/api/identity/connect/password",
            new { userName, currentPassword = oneTimePassword, newPassword = NewPassword }), HttpStatusCode.NoContent);
    }

    private static async Task<HttpClient> SignInImportedAsync(Uri gateway, string userName, Dictionary<string, string> passwords)
    {
        await ChangePasswordAsync(gateway, userName, passwords[userName]);
        return await Gateway.SignInAsync(gateway, userName, NewPassword);
    }

    private static StringContent Csv(StringBuilder sheet) => new(sheet.ToString(), Encoding.UTF8, "text/csv");

    /// <summary>Another tenant's assessment or round: refused, and nothing of it in the answer.</summary>
    private static void AssertHidden(HttpResponseMessage response) =>
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected 404 or 403, got {(int)response.StatusCode}");
}
