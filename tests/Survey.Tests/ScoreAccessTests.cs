using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using ParPlatform.Contracts.Survey.V1;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Intake;
using ParPlatform.Testing;

namespace ParPlatform.Survey.Tests;

/// <summary>
/// Issue 11: a round's survey points are unpublished until the ranking publishes them. Who reads what, over REST
/// (<c>GET /api/survey/rounds/{round}/scores</c>) and gRPC (<c>GetUnitScores</c>): the tenant's admins, the Ministry,
/// appraisers and survey operators every unit; a unit's officer and leader their own unit's only, and only in a round
/// that says so; the survey partner (submit-only), the ministry client (published results only) and viewers nothing.
/// </summary>
[Collection(SurveyCollection.Name)]
public sealed class ScoreAccessTests(SurveyFixture fixture)
{
    private const string Tenant = TestCriteria.Tenant;
    private static readonly Guid UnitA = TestCriteria.Units[0];
    private static readonly Guid UnitB = TestCriteria.Units[1];

    /// <summary>What a caller gets: every unit with points, only the named unit(s), nothing (an empty list), or a refusal.</summary>
    public enum Sees { AllUnits, OnlyUnitA, OnlyUnitB, Nothing, Forbidden, NotFound }

    private static readonly TestCaller NationalAdmin = new("bo", PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant);
    private static readonly TestCaller ProvincialAdmin = new("admin", PlatformRoles.ProvincialAdmin, Tenant);
    private static readonly TestCaller OtherTenantAdmin = new("admin-x", PlatformRoles.ProvincialAdmin, "prov-other");
    private static readonly TestCaller Appraiser = new("appraiser", PlatformRoles.Appraiser, Tenant);
    private static readonly TestCaller SurveyOperator = new("operator", PlatformRoles.SurveyOperator, Tenant);
    private static readonly TestCaller SurveyPartner = new("partner", PlatformRoles.SurveyPartner, Tenant);
    private static readonly TestCaller MinistryClient = new("ministry", PlatformRoles.MinistryClient, PlatformClaims.NationalTenant);
    private static readonly TestCaller Viewer = new("viewer", PlatformRoles.Viewer, Tenant);
    private static readonly TestCaller OfficerOfA = new("officer-a", PlatformRoles.UnitOfficer, Tenant, UnitA.ToString());
    private static readonly TestCaller LeaderOfB = new("leader-b", PlatformRoles.UnitLeader, Tenant, UnitB.ToString());
    private static readonly TestCaller OtherTenantOfficerClaimingA = new("officer-x", PlatformRoles.UnitOfficer, "prov-other", UnitA.ToString());

    /// <summary>(caller, round visible to units?, expected) for the whole round, without ?unitId=.</summary>
    public static readonly TheoryData<string, bool, Sees> WholeRound = new()
    {
        { nameof(NationalAdmin), false, Sees.AllUnits },
        { nameof(ProvincialAdmin), false, Sees.AllUnits },
        { nameof(OtherTenantAdmin), false, Sees.Nothing },
        { nameof(Appraiser), false, Sees.AllUnits },
        { nameof(SurveyOperator), false, Sees.AllUnits },
        { nameof(SurveyPartner), false, Sees.Forbidden },
        { nameof(MinistryClient), false, Sees.Forbidden },
        { nameof(Viewer), false, Sees.Forbidden },
        { nameof(OfficerOfA), false, Sees.Forbidden },
        { nameof(LeaderOfB), false, Sees.Forbidden },
        { nameof(ProvincialAdmin), true, Sees.AllUnits },
        { nameof(SurveyPartner), true, Sees.Forbidden },
        { nameof(MinistryClient), true, Sees.Forbidden },
        { nameof(Viewer), true, Sees.Forbidden },
        { nameof(OfficerOfA), true, Sees.OnlyUnitA },
        { nameof(LeaderOfB), true, Sees.OnlyUnitB },
        { nameof(OtherTenantOfficerClaimingA), true, Sees.NotFound },
    };

    [Theory]
    [MemberData(nameof(WholeRound))]
    public async Task Each_role_reads_exactly_the_units_it_may(string caller, bool visibleToUnits, Sees expected)
    {
        var round = await RoundWithPointsAsync(visibleToUnits);
        using var client = Caller(caller).Client(fixture.Survey.HttpAddress);
        using var response = await client.GetAsync($"/api/survey/rounds/{round}/scores");
        Assert.Equal(expected, await SeenAsync(response));
    }

    [Theory]
    [InlineData(nameof(OfficerOfA), true, "A", Sees.OnlyUnitA)]
    [InlineData(nameof(OfficerOfA), true, "B", Sees.Forbidden)]
    [InlineData(nameof(LeaderOfB), true, "A", Sees.Forbidden)]
    [InlineData(nameof(OfficerOfA), false, "A", Sees.Forbidden)]
    [InlineData(nameof(Appraiser), false, "B", Sees.OnlyUnitB)]
    [InlineData(nameof(Viewer), true, "A", Sees.Forbidden)]
    public async Task A_unit_asked_for_by_name_follows_the_same_rule(string caller, bool visibleToUnits, string unit, Sees expected)
    {
        var round = await RoundWithPointsAsync(visibleToUnits);
        using var client = Caller(caller).Client(fixture.Survey.HttpAddress);
        using var response = await client.GetAsync($"/api/survey/rounds/{round}/scores?unitId={(unit == "A" ? UnitA : UnitB)}");
        Assert.Equal(expected, await SeenAsync(response));
    }

    [Theory]
    [InlineData(nameof(SurveyOperator), false, "A", StatusCode.OK)]
    [InlineData(nameof(ProvincialAdmin), false, "B", StatusCode.OK)]
    [InlineData(nameof(SurveyPartner), false, "A", StatusCode.PermissionDenied)]
    [InlineData(nameof(MinistryClient), false, "A", StatusCode.PermissionDenied)]
    [InlineData(nameof(Viewer), false, "A", StatusCode.PermissionDenied)]
    [InlineData(nameof(OfficerOfA), false, "A", StatusCode.PermissionDenied)]
    [InlineData(nameof(OfficerOfA), true, "A", StatusCode.OK)]
    [InlineData(nameof(OfficerOfA), true, "B", StatusCode.PermissionDenied)]
    [InlineData(nameof(OtherTenantOfficerClaimingA), true, "A", StatusCode.NotFound)]
    public async Task GetUnitScores_over_grpc_follows_the_same_rule(string caller, bool visibleToUnits, string unit, StatusCode expected)
    {
        var round = await RoundWithPointsAsync(visibleToUnits);
        var unitId = unit == "A" ? UnitA : UnitB;
        var client = new SurveyService.SurveyServiceClient(fixture.Survey.CreateGrpcChannel());
        var status = StatusCode.OK;
        try
        {
            var scores = await client.GetUnitScoresAsync(
                new GetUnitScoresRequest { RoundId = round.ToString(), UnitId = unitId.ToString() }, Caller(caller).GrpcHeaders());
            Assert.Equal(unitId.ToString(), scores.UnitId);
            Assert.NotEmpty(scores.Items);
        }
        catch (RpcException exception)
        {
            status = exception.StatusCode;
        }
        Assert.Equal(expected, status);
    }

    private static TestCaller Caller(string name) => name switch
    {
        nameof(NationalAdmin) => NationalAdmin,
        nameof(ProvincialAdmin) => ProvincialAdmin,
        nameof(OtherTenantAdmin) => OtherTenantAdmin,
        nameof(Appraiser) => Appraiser,
        nameof(SurveyOperator) => SurveyOperator,
        nameof(SurveyPartner) => SurveyPartner,
        nameof(MinistryClient) => MinistryClient,
        nameof(Viewer) => Viewer,
        nameof(OfficerOfA) => OfficerOfA,
        nameof(LeaderOfB) => LeaderOfB,
        nameof(OtherTenantOfficerClaimingA) => OtherTenantOfficerClaimingA,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static async Task<Sees> SeenAsync(HttpResponseMessage response)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.Forbidden:
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain("subCriterionCode", await response.Content.ReadAsStringAsync());
                return Sees.Forbidden;
            case HttpStatusCode.NotFound:
                return Sees.NotFound;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var units = (await response.Content.ReadFromJsonAsync<List<Data.UnitScores>>(SurveyFixture.Json))!.Select(scores => scores.UnitId).ToHashSet();
        return units.Count switch
        {
            0 => Sees.Nothing,
            _ when units.SetEquals([UnitA]) => Sees.OnlyUnitA,
            _ when units.SetEquals([UnitB]) => Sees.OnlyUnitB,
            _ when units.IsSupersetOf([UnitA, UnitB]) => Sees.AllUnits,
            _ => throw new Xunit.Sdk.XunitException($"unexpected units {string.Join(", ", units)}"),
        };
    }

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<Guid, bool> Prepared = [];

    /// <summary>The round (open, or the one visible to units) with stored points for units A and B.</summary>
    private async Task<Guid> RoundWithPointsAsync(bool visibleToUnits)
    {
        var round = visibleToUnits ? TestCriteria.UnitVisibleRound : TestCriteria.OpenRound;
        await Once.WaitAsync();
        try
        {
            if (!Prepared.ContainsKey(round))
            {
                var questionnaire = visibleToUnits
                    ? await fixture.PublishAsync(SurveyFixture.CitizensDefinition(round))
                    : fixture.Citizens;
                var prefix = $"access-{(visibleToUnits ? "visible" : "open")}";
                var responses = new[] { UnitA, UnitB }.Select((unit, index) =>
                    fixture.Citizen($"{prefix}-{index}", unit) with { QuestionnaireId = questionnaire }).ToList();
                var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(responses), SurveyFixture.Json);
                reply.EnsureSuccessStatusCode();
                await fixture.DrainedAsync();
                Prepared[round] = true;
            }
        }
        finally
        {
            Once.Release();
        }
        return round;
    }
}
