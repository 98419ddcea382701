using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ParPlatform.Testing;

namespace ParPlatform.Security.Tests;

/// <summary>
/// The web console's routes under the suite's rule for every route: another tenant's or another unit's page answers
/// exactly as a random id would (same status, same page once per-request tokens are set aside), and shows nothing of
/// the other's data. (A page rendered only in the interactive circuit answers the same shell to both here; what its
/// circuit then shows comes from the same service calls, refused alike.) The console calls the services with the signed-in user's own token, so this proves it adds no
/// path around their checks. Signed in over plain HTTP (server-rendered pages; a browser would only be slower).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class ConsoleAccessTests(SecurityFixture platform)
{
    private const string NewPassword = "Kiem-tra-bao-mat-2026!";

    [Fact]
    public async Task Another_tenants_admin_and_another_units_officer_see_each_page_as_a_random_id()
    {
        var targets = platform.Targets;
        var token = Guid.NewGuid().ToString("N")[..6];
        using var ministry = platform.Client(platform.Tokens.Of("bo.quantri"));
        using var provincialAdmin = platform.Client(platform.Tokens.Of("qn.quantri"));

        // Another province's administrator (a tenant of this run) and an officer of Sở Nội vụ (Sở Tư pháp's neighbour).
        var tenant = $"sec-console-{token}";
        var provinceUnit = await SecurityFixture.ExpectAsync(await ministry.PostAsJsonAsync("/api/criteria/units", new
        {
            code = $"SEC-{token}", name = $"Tỉnh kiểm thử {token}", type = "Province", validFrom = "2020-01-01", provinceTenantId = tenant,
        }), HttpStatusCode.Created, "province unit");
        var created = await SecurityFixture.ExpectAsync(await ministry.PostAsJsonAsync("/api/identity/tenants", new
        {
            code = tenant, name = $"Tỉnh kiểm thử {token}", provinceUnitId = provinceUnit.GetProperty("id").GetString(),
            admin = new { userName = $"sec{token}.quantri", displayName = "Quản trị tỉnh khác" },
        }), HttpStatusCode.Created, "tenant");
        var officer = await SecurityFixture.ExpectAsync(await provincialAdmin.PostAsJsonAsync("/api/identity/accounts", new
        {
            userName = $"qn.noivu.{token}", displayName = "Cán bộ đơn vị khác", role = "unit-officer", unitId = Targets.SoNoiVu.ToString(),
        }), HttpStatusCode.Created, "officer of another unit");

        using var otherTenant = await ConsoleClient.SignInAsync(platform.App.GatewayHttp, $"sec{token}.quantri",
            created.GetProperty("admin").GetProperty("oneTimePassword").GetString()!, NewPassword);
        using var otherUnit = await ConsoleClient.SignInAsync(platform.App.GatewayHttp, $"qn.noivu.{token}",
            officer.GetProperty("oneTimePassword").GetString()!, NewPassword);
        // The owner sees its own pages: the comparison below is not between two refusals of everyone.
        using var owner = await ConsoleClient.SignInAsync(platform.App.GatewayHttp, "qn.thamdinh", SecurityFixture.Password);
        using (var own = await owner.GetAsync($"/assessments/{targets.Assessment}/appraisal"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        var random = Guid.NewGuid();
        var roundPages = new[] { "/rounds/{0}/scorecard", "/rounds/{0}/approval", "/rounds/{0}/appraisal" };
        var assessmentPages = new[] { "/assessments/{0}/appraisal", "/files/assessments/{0}/sheet.xlsx" };
        // Part 2's pages: a province's draft criteria set and its questionnaire, seen from another province.
        var setPages = new[] { "/criteria/{0}", "/criteria/{0}/diff", "/files/criteria/sets/{0}/export.xlsx" };
        var questionnairePages = new[] { "/survey/questionnaires/{0}/import", "/survey/questionnaires/{0}/entry", "/survey/questionnaires/{0}/edit" };
        var cases = roundPages.Select(page => (otherTenant, page, targets.Round))
            .Concat(assessmentPages.Select(page => (otherTenant, page, targets.Assessment)))
            .Concat(assessmentPages.Select(page => (otherUnit, page, targets.Assessment)))
            .Concat(setPages.Select(page => (otherTenant, page, targets.DraftSet)))
            .Concat(questionnairePages.Select(page => (otherTenant, page, targets.Questionnaire)))
            .Append((otherTenant, "/files/evidence/{0}", targets.Evidence))
            .Append((otherUnit, "/files/evidence/{0}", targets.Evidence));
        foreach (var (client, page, real) in cases)
        {
            var (realStatus, realBody) = await ReadAsync(client, string.Format(page, real));
            var (randomStatus, randomBody) = await ReadAsync(client, string.Format(page, random));
            var who = client == otherTenant ? "another tenant's admin" : "another unit's officer";
            Assert.True(realStatus == randomStatus, $"{who} {page}: {realStatus} for the real id, {randomStatus} for a random one");
            Assert.Equal(Normalise(randomBody, random), Normalise(realBody, real));
            // Nothing of the target but the id the caller typed (links back to the same address echo it).
            var shown = Normalise(realBody, real);
            foreach (var marker in targets.TenantMarkers.Concat(targets.UnitMarkers))
            {
                Assert.DoesNotContain(marker, shown);
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The page without what differs on every request: the id asked for, data-protected values
    /// (antiforgery tokens, which start CfDJ8), Blazor's component markers (a per-request protected descriptor),
    /// trace ids.</summary>
    private static string Normalise(string body, Guid asked) =>
        Volatile().Replace(body.Replace(asked.ToString(), "{id}"), "");

    [GeneratedRegex("""<!--Blazor:[^>]*-->|CfDJ8[A-Za-z0-9+/_=-]+|"traceId":"[^"]*"|[0-9a-f]{32}""")]
    private static partial Regex Volatile();
}
