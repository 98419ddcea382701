using System.Net;
using Xunit.Abstractions;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Issue 7, "Done when": every REST route of every service (from its OpenAPI document, through the gateway) with no
/// token, an expired one, one signed by another key, another tenant, another unit and roles without the permission:
/// each gets 401/403 (or 404), with no data in the body.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class RestAccessTests(SecurityFixture platform, ITestOutputHelper output)
{
    private enum Expect { Unauthorized, Refused, EmptyOrRefused, NoLeak }

    [Fact]
    public async Task Every_rest_route_refuses_every_identity_without_the_right_and_leaks_nothing()
    {
        using var gateway = platform.Client();
        var routes = (await RestRoutes.LoadAsync(gateway)).Where(route => !RestRoutes.IsPublic(route.Template)).ToList();
        var identities = Identity.All(platform.Tokens);
        var targets = platform.Targets;
        var violations = new Violations();
        output.WriteLine($"{routes.Count} protected REST routes, {identities.Count} identities; ranking published for the round: {targets.RankingPublished}");
        foreach (var route in routes)
        {
            output.WriteLine($"  {route}");
        }
        Assert.True(routes.Count >= 40, $"Only {routes.Count} routes found in the OpenAPI documents.");
        Assert.Contains(routes, route => route.Service == "evidence-storage");

        using var limit = new SemaphoreSlim(4);
        var work = new List<Task>();
        foreach (var route in routes)
        {
            foreach (var identity in identities)
            {
                if (ExpectationFor(route, identity) is not { } expect)
                {
                    continue;
                }
                work.Add(Task.Run(async () =>
                {
                    await limit.WaitAsync();
                    try
                    {
                        await CheckAsync(route, identity, expect.Expect, expect.Markers, targets, violations);
                    }
                    finally
                    {
                        limit.Release();
                    }
                }));
            }
        }
        await Task.WhenAll(work);
        foreach (var (identity, count) in violations.PerIdentity.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {count,4} calls as {identity}");
        }
        violations.AssertNone(output, "REST");
    }

    private static (Expect Expect, IReadOnlyList<string> Markers)? ExpectationFor(RestRoute route, Identity identity)
    {
        switch (identity.Kind)
        {
            case IdentityKind.Unauthenticated:
                return (Expect.Unauthorized, []);
            case IdentityKind.Incomplete:
                return (Expect.Refused, Tenant);
            case IdentityKind.OtherTenant:
                return (Expect.NoLeak, Tenant); // refined per call: a named resource must be refused
            case IdentityKind.OtherUnit:
                if (Permissions.IsUnitScoped(route) || Refuses(route, identity))
                {
                    return (Expect.Refused, Unit);
                }
                return route.IsWrite ? null : (Expect.NoLeak, Unit);
            default:
                return Refuses(route, identity) ? (Expect.Refused, Unit) : null;
        }
    }

    // Placeholders resolved against the fixture's targets in CheckAsync.
    private static readonly IReadOnlyList<string> Tenant = ["<tenant>"];
    private static readonly IReadOnlyList<string> Unit = ["<unit>"];

    private static bool Refuses(RestRoute route, Identity identity) => route.IsWrite
        ? Permissions.Writers(route) is { } writers && !writers.Contains(identity.Role)
        : Permissions.Readers(route) is { } readers && !readers.Contains(identity.Role);

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
    public async Task Public_paths_are_only_health_info_openapi_and_sign_in()
    {
        using var gateway = platform.Client();
        var routes = await RestRoutes.LoadAsync(gateway);
        var publicRoutes = routes.Where(route => RestRoutes.IsPublic(route.Template)).Select(route => route.ToString()).ToList();
        output.WriteLine(string.Join('\n', publicRoutes));
        Assert.All(publicRoutes, route => Assert.Matches(@"^(GET|POST) /api/[a-z-]+/(info|diagnostics/.*|openapi/.*)$", route));
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/criteria/information")).StatusCode);
    }
}
