using System.Net;
using Xunit.Abstractions;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Every REST route of every service (from its OpenAPI document, through the gateway) for every identity: the
/// answer <see cref="AccessTable"/> states (issue 11; issue 7 checked refusals only), with no data in a refusal.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class RestAccessTests(SecurityFixture platform, ITestOutputHelper output)
{
    private enum Expect { Unauthorized, Refused, EmptyOrRefused, NoLeak }

    [Fact]
    public async Task Every_rest_route_answers_each_identity_what_the_access_table_says()
    {
        using var gateway = platform.Client();
        var routes = await RestRoutes.LoadAsync(gateway);
        var identities = Identity.All(platform.Tokens);
        var targets = platform.Targets;
        var violations = new Violations();
        output.WriteLine($"{routes.Count} REST routes ({routes.Count(r => !RestRoutes.IsPublic(r.Template))} behind the gateway's token check), {identities.Count} identities; ranking published for the round: {targets.RankingPublished}");
        Assert.True(routes.Count >= 40, $"Only {routes.Count} routes found in the OpenAPI documents.");
        Assert.Contains(routes, route => route.Service == "evidence-storage");

        var missing = routes.Where(route => !AccessTable.Rest.ContainsKey(route.ToString())).ToList();
        var stale = AccessTable.Rest.Keys.Except(routes.Select(route => route.ToString()), StringComparer.Ordinal).ToList();

        using var limit = new SemaphoreSlim(4);
        async Task Limited(Func<Task> work)
        {
            await limit.WaitAsync();
            try
            {
                await work();
            }
            finally
            {
                limit.Release();
            }
        }
        var work = new List<Task>();
        foreach (var route in routes.Except(missing))
        {
            var row = AccessTable.Parse(route.ToString(), AccessTable.Rest[route.ToString()]);
            var isPublic = row[(int)Column.Anonymous].IsAllowed;
            foreach (var identity in identities)
            {
                if (identity.TableColumn is { } column)
                {
                    var cell = row[(int)column];
                    if (!(cell.IsAllowed && route.IsWrite))
                    {
                        work.Add(Limited(() => CheckCellAsync(route, identity, cell, targets, violations)));
                    }
                }
                else if (!isPublic && ExpectationFor(route, identity) is { } expect)
                {
                    work.Add(Limited(() => CheckAsync(route, identity, expect.Expect, expect.Markers, targets, violations)));
                }
            }
        }
        await Task.WhenAll(work);
        var suggested = new List<string>();
        foreach (var route in missing)
        {
            suggested.Add(await SuggestedRowAsync(route, identities, targets));
        }
        foreach (var (identity, count) in violations.PerIdentity.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {count,4} calls as {identity}");
        }
        Assert.True(missing.Count == 0 && stale.Count == 0,
            (missing.Count == 0 ? "" : $"{missing.Count} REST routes have no row in AccessTable.Rest (tests/Security.Tests/AccessTable.cs). " +
                "Add one line each; the platform answers today (? = a write, not made: state it):\n" +
                string.Join('\n', suggested.Select(row => "        " + row)) + "\n") +
            (stale.Count == 0 ? "" : $"Rows for routes the OpenAPI documents no longer have: {string.Join(", ", stale)}"));
        violations.AssertNone(output, "REST");
    }

    /// <summary>A row for a route the table lacks, from what one identity of each column gets today.</summary>
    private async Task<string> SuggestedRowAsync(RestRoute route, IReadOnlyList<Identity> identities, Targets targets)
    {
        var cells = new List<string>();
        foreach (var column in Enum.GetValues<Column>())
        {
            var identity = identities.First(i => i.TableColumn == column);
            if (route.IsWrite && column != Column.Anonymous)
            {
                cells.Add("?");
                continue;
            }
            var (status, _, _) = await SendAsync(RestRoutes.Build(route, targets, real: true), identity);
            cells.Add(status is >= 200 and < 300 ? "F" : status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return AccessTable.Line(route.ToString(), cells);
    }

    /// <summary>One cell of the table: the exact answer an identity of a column must get.</summary>
    private async Task CheckCellAsync(RestRoute route, Identity identity, Expected expected, Targets targets, Violations violations)
    {
        var call = RestRoutes.Build(route, targets, real: true);
        var (status, body, media) = await SendAsync(call, identity);
        violations.Counted(identity);
        var name = $"{route.Method} {call.Url}";
        var ownUnit = identity.Unit == Targets.SoTuPhap.ToString();
        var leaked = targets.UnitMarkers.Where(marker => body.Contains(marker, StringComparison.OrdinalIgnoreCase)
            && !call.RequestText.Contains(marker, StringComparison.OrdinalIgnoreCase)).ToList();
        if (status >= 500)
        {
            violations.Add(name, identity, $"{status}", body, $"server error; the table says {expected}");
        }
        else if (expected.IsAllowed)
        {
            if (status is < 200 or > 299)
            {
                violations.Add(name, identity, $"{status}", body, $"the table says {expected}");
            }
            else if (expected.IsOwnUnitOnly && !ownUnit && leaked.Count > 0)
            {
                violations.Add(name, identity, $"{status}", body, $"own unit only, but the body contains {string.Join(", ", leaked.Take(3))}");
            }
        }
        else if (status != expected.Status)
        {
            violations.Add(name, identity, $"{status}", body, $"the table says {expected}");
        }
        else if (body.Length > 0 && media != "application/problem+json")
        {
            violations.Add(name, identity, $"{status} {media}", body, "a refusal carries ProblemDetails only");
        }
        else if (leaked.Count > 0 && !ownUnit)
        {
            violations.Add(name, identity, $"{status}", body, $"a refusal that contains {string.Join(", ", leaked.Take(3))}");
        }
    }

    /// <summary>The uniform rules for identities outside the table's columns: a token without a tenant, another tenant.</summary>
    private static (Expect Expect, IReadOnlyList<string> Markers)? ExpectationFor(RestRoute route, Identity identity) => identity.Kind switch
    {
        IdentityKind.Incomplete => (Expect.Refused, Tenant),
        IdentityKind.OtherTenant => (Expect.NoLeak, Tenant), // refined per call: a named resource must be refused
        _ => null,
    };

    // Placeholders resolved against the fixture's targets in CheckAsync.
    private static readonly IReadOnlyList<string> Tenant = ["<tenant>"];

    private async Task CheckAsync(RestRoute route, Identity identity, Expect expect, IReadOnlyList<string> markerKind, Targets targets, Violations violations)
    {
        var markers = ReferenceEquals(markerKind, Tenant) ? targets.TenantMarkers : targets.UnitMarkers;
        var call = RestRoutes.Build(route, targets, real: true);
        if (identity.Kind == IdentityKind.OtherTenant && call.NamesResource)
        {
            // A write on a named resource is refused; a read is refused, or answers exactly what a random id gets
            // (a list filtered by the caller's tenant, such as "my unit's evidence in round X": []).
            expect = route.IsWrite ? Expect.Refused : Expect.EmptyOrRefused;
        }
        var (status, body, media) = await SendAsync(call, identity);
        violations.Counted(identity);
        var name = $"{route.Method} {call.Url}";
        var leaked = markers.Where(marker => body.Contains(marker, StringComparison.OrdinalIgnoreCase)
            && !call.RequestText.Contains(marker, StringComparison.OrdinalIgnoreCase)).ToList();

        if (status >= 500)
        {
            violations.Add(name, identity, $"{status}", body, "server error instead of a refusal");
            return;
        }
        switch (expect)
        {
            case Expect.Unauthorized:
                if (status != 401)
                {
                    violations.Add(name, identity, $"{status}", body, "expected 401");
                }
                return;
            case Expect.Refused:
                if (status is not (401 or 403 or 404))
                {
                    violations.Add(name, identity, $"{status}", body, "expected 401/403/404");
                }
                else if (body.Length > 0 && media != "application/problem+json")
                {
                    violations.Add(name, identity, $"{status} {media}", body, "a refusal carries ProblemDetails only");
                }
                break;
            case Expect.EmptyOrRefused when status is not (401 or 403 or 404):
                var (otherStatus, otherBody, _) = await SendAsync(RestRoutes.Build(route, targets, real: false), identity);
                violations.Counted();
                if (status is < 200 or > 299 || otherStatus != status || otherBody != body)
                {
                    violations.Add(name, identity, $"{status} (random ids: {otherStatus})", body + " | random: " + Violations.Trim(otherBody),
                        "expected 401/403/404, or the very answer a random id gets");
                }
                break;
            case Expect.NoLeak:
                if (identity.Kind == IdentityKind.OtherTenant && status is not (401 or 403 or 404))
                {
                    // Whatever it answers must not depend on whether the quang-ninh ids in the request exist.
                    var stand = RestRoutes.Build(route, targets, real: false);
                    var (randomStatus, randomBody, _) = await SendAsync(stand, identity);
                    violations.Counted();
                    if (randomStatus != status)
                    {
                        violations.Add(name, identity, $"{status} (random ids: {randomStatus})", body + " | random: " + Violations.Trim(randomBody),
                            "the answer reveals whether another tenant's resource exists");
                    }
                }
                break;
        }
        if (leaked.Count > 0)
        {
            violations.Add(name, identity, $"{status}", body, $"body contains {string.Join(", ", leaked.Take(3))}");
        }
    }

    private async Task<(int Status, string Body, string? Media)> SendAsync(RestCall call, Identity identity)
    {
        using var client = platform.Client();
        using var request = call.Message(identity.Token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// The control: the very requests the suite builds do reach the data for callers who may see it, so every refusal
    /// above is about the identity, not a malformed request.
    /// </summary>
    [Theory]
    [InlineData("GET /api/criteria/rounds/{id}", "qn.quantri", "SECROUND")]
    [InlineData("GET /api/criteria/sets/{id}", "qn.quantri", "SECSET")]
    [InlineData("GET /api/submission/assessments/{id}", "qn.tuphap.canbo", "SECTEXT")]
    [InlineData("GET /api/submission/assessments/{id}/audit", "qn.thamdinh", "selfScore")]
    [InlineData("GET /api/evidence-storage/evidence/{id}", "qn.tuphap.canbo", "SECTITLE")]
    [InlineData("GET /api/evidence-storage/rounds/{roundId}/evidence", "qn.tuphap.canbo", "SECTITLE")]
    [InlineData("GET /api/survey/questionnaires/{id}", "qn.dieutra", "SECQUEST")]
    [InlineData("GET /api/survey/responses/{responseId}", "qn-survey-partner", "SECRESP")]
    [InlineData("GET /api/submission/rounds/{roundId}/progress", "qn.xem", "20000000-0000-4000-8000-000000000012")]
    public async Task The_same_requests_reach_the_data_for_callers_who_may_see_it(string route, string account, string marker)
    {
        using var gateway = platform.Client();
        var found = (await RestRoutes.LoadAsync(gateway)).Single(r => r.ToString() == route);
        var call = RestRoutes.Build(found, platform.Targets, real: true);
        var (status, body, _) = await SendAsync(call, new Identity(account, IdentityKind.Role, platform.Tokens.Of(account)));
        Assert.True(status == 200, $"{route} as {account}: {status} {Violations.Trim(body)}");
        Assert.Contains(marker, body);
    }

    [Fact]
    public async Task Public_paths_are_only_health_info_openapi_and_sign_in_not_diagnostics()
    {
        using var gateway = platform.Client();
        var routes = await RestRoutes.LoadAsync(gateway);
        var publicRoutes = routes.Where(route => RestRoutes.IsPublic(route.Template)).Select(route => route.ToString()).ToList();
        output.WriteLine(string.Join('\n', publicRoutes));
        Assert.All(publicRoutes, route => Assert.Matches(@"^GET /api/[a-z-]+/(info|openapi/.*)$", route));
        // A ping writes to a database and the broker (issue 11): not public, whatever the method.
        Assert.False(RestRoutes.IsPublic("/api/criteria/diagnostics/pings"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/criteria/information")).StatusCode);
    }
}
