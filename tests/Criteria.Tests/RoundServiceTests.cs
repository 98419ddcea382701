using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Criteria.Seed;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;
using Round = ParPlatform.Criteria.Model.Round;
using RoundWindows = ParPlatform.Criteria.Model.RoundWindows;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class RoundServiceTests(CriteriaServiceFixture fixture)
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>A district's real 2023 calendar: self-assessment 10-23 November, then "the software locks itself".</summary>
    private static readonly RoundWindows Windows = new(
        new(2025, 11, 10, 7, 30, 0, Vietnam), new(2025, 11, 23, 23, 59, 59, Vietnam),
        new(2025, 11, 24, 8, 0, 1, Vietnam), new(2025, 12, 20, 17, 0, 0, TimeSpan.Zero),
        new(2025, 11, 1, 0, 0, 0, Vietnam), new(2025, 12, 15, 16, 45, 30, Vietnam),
        new(2026, 1, 20, 9, 0, 0, Vietnam));

    [Fact]
    public async Task Round_windows_come_back_exactly_over_rest_and_grpc()
    {
        var client = fixture.Client(ProvinceAdmin);
        var created = await (await client.PostJsonAsync("/api/criteria/rounds", new
        {
            year = 2025, name = "Đợt thử cửa sổ", criteriaSetId = SeedIds.DepartmentSet2025, rankingGroup = "windows-test",
            windows = Windows, previousRoundId = SeedIds.DepartmentsRound2024,
        })).ReadAsync<Round>();

        var read = await (await client.GetAsync($"/api/criteria/rounds/{created.Id}")).ReadAsync<Round>();
        var grpc = await new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel())
            .GetRoundAsync(new() { RoundId = created.Id.ToString() }, ProvinceAdmin.GrpcHeaders());

        Assert.Equal(Windows, read.Windows);
        Assert.Equal(SeedIds.DepartmentsRound2024, read.PreviousRoundId);
        Assert.Equal(
            [Windows.SelfAssessmentOpensAt, Windows.SelfAssessmentClosesAt, Windows.AppraisalOpensAt, Windows.AppraisalClosesAt,
             Windows.SurveyOpensAt, Windows.SurveyClosesAt, Windows.PublicationAt],
            new[] { grpc.SelfAssessmentOpensAt, grpc.SelfAssessmentClosesAt, grpc.AppraisalOpensAt, grpc.AppraisalClosesAt,
                    grpc.SurveyOpensAt, grpc.SurveyClosesAt, grpc.PublicationAt }.Select(t => t.ToDateTimeOffset()));
        Assert.Equal((SeedIds.DepartmentSet2025.ToString(), "windows-test", 2025), (grpc.CriteriaSetId, grpc.RankingGroup, grpc.Year));
    }

    [Fact]
    public async Task Invalid_rounds_are_refused()
    {
        var client = fixture.Client(ProvinceAdmin);
        var backwards = Windows with { SelfAssessmentClosesAt = Windows.SelfAssessmentOpensAt.AddDays(-1) };

        var problem = await (await client.PostJsonAsync("/api/criteria/rounds", new
        {
            year = 2025, name = "Sai", criteriaSetId = SeedIds.NationalProvincialSkeleton, rankingGroup = "bad", windows = backwards,
        })).ProblemAsync(400);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("selfAssessment", out _));
        Assert.True(errors.TryGetProperty("criteriaSetId", out _));
    }

    [Fact]
    public async Task Not_applicable_items_lower_the_units_denominator()
    {
        var client = fixture.Client(ProvinceAdmin);
        var units = await (await client.GetAsync($"/api/criteria/rounds/{SeedIds.DepartmentsRound2024}/units")).ReadAsync<List<JsonElement>>();
        Assert.Equal(6, units.Count);
        var finance = units.Single(u => u.GetProperty("unit").GetProperty("id").GetGuid() == SeedIds.SoTaiChinh);
        Assert.Equal(98m, finance.GetProperty("applicableMaxPoints").GetDecimal());

        var marked = await (await client.PutAsJsonAsync(
            $"/api/criteria/rounds/{SeedIds.DepartmentsRound2024}/units/{SeedIds.SoYTe}/not-applicable", new { codes = new[] { "8.1", "6" } }))
            .ReadAsync<JsonElement>();
        Assert.Equal(84m, marked.GetProperty("applicableMaxPoints").GetDecimal());
        await (await client.PutAsJsonAsync(
            $"/api/criteria/rounds/{SeedIds.DepartmentsRound2024}/units/{SeedIds.SoYTe}/not-applicable", new { codes = new[] { "99.1" } })).ProblemAsync(400);

        var grpc = await new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel())
            .ListRoundUnitsAsync(new() { RoundId = SeedIds.DepartmentsRound2024.ToString() }, MinistryClient.GrpcHeaders());
        var health = grpc.Units.Single(u => u.Id == SeedIds.SoYTe.ToString());
        Assert.Equal("84", health.ApplicableMaxPoints);
        Assert.Equal(["6", "8.1"], health.NotApplicableCodes);

        // The ranking follows the change: RoundApplicabilityChanged leaves through the outbox with the unit's whole list.
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Host.SuperuserConnectionString);
        var announced = await Dapper.SqlMapper.QueryAsync<string>(connection,
            """
            SELECT body->>'NotApplicableCodes' FROM outbox_messages
            WHERE message_type LIKE '%RoundApplicabilityChanged%' AND body->>'UnitId' = @unit AND body->>'RoundId' = @round
            ORDER BY created_at
            """, new { unit = SeedIds.SoYTe.ToString(), round = SeedIds.DepartmentsRound2024.ToString() });
        Assert.Equal(["[\"6\",\"8.1\"]"], announced.Select(json => json.Replace(" ", "")));
    }

    [Fact]
    public async Task Another_province_cannot_read_the_round()
    {
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.GetRoundAsync(new() { RoundId = SeedIds.DepartmentsRound2024.ToString() }, OtherProvinceAdmin.GrpcHeaders()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
