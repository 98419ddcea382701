using System.Net;
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
            WHERE message_type = 'par.criteria.round-applicability-changed.v1' AND body->>'UnitId' = @unit AND body->>'RoundId' = @round
            ORDER BY created_at
            """, new { unit = SeedIds.SoYTe.ToString(), round = SeedIds.DepartmentsRound2024.ToString() });
        Assert.Equal(["[\"6\",\"8.1\"]"], announced.Select(json => json.Replace(" ", "")));
    }

    [Fact]
    public async Task A_rounds_units_version_moves_with_its_units_their_marks_and_their_records_and_nothing_else()
    {
        var client = fixture.Client(ProvinceAdmin);
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());
        var code = "UV" + Guid.NewGuid().ToString("N")[..6];
        var unitBody = new { code, name = "Sở thử phiên bản", type = "Department", parentId = (Guid?)null, validFrom = "2020-01-01" };
        var unit = await (await client.PostJsonAsync("/api/criteria/units", unitBody)).ReadAsync<JsonElement>();
        var unitId = unit.GetProperty("id").GetGuid();
        var round = await (await client.PostJsonAsync("/api/criteria/rounds", Body("units-version-" + code, Windows))).ReadAsync<Round>();
        async Task<long> VersionAsync() =>
            (await grpc.GetRoundAsync(new() { RoundId = round.Id.ToString() }, ProvinceAdmin.GrpcHeaders())).UnitsVersion;
        var versions = new List<long> { await VersionAsync() };

        (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}/units", new { unitIds = new[] { unitId, SeedIds.SoYTe } })).EnsureSuccessStatusCode();
        versions.Add(await VersionAsync());
        (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}/units/{unitId}/not-applicable", new { codes = new[] { "6" } })).EnsureSuccessStatusCode();
        versions.Add(await VersionAsync());
        (await client.PutAsJsonAsync($"/api/criteria/units/{unitId}", unitBody with { name = "Sở thử phiên bản (đổi tên)" })).EnsureSuccessStatusCode();
        versions.Add(await VersionAsync());
        // A window moved is not a change of the units: the version stays.
        (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body("units-version-" + code,
            Windows with { PublicationAt = Windows.PublicationAt.AddDays(1) }, reason: "Lùi ngày công bố"))).EnsureSuccessStatusCode();
        versions.Add(await VersionAsync());
        (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}/units", new { unitIds = new[] { unitId } })).EnsureSuccessStatusCode();
        versions.Add(await VersionAsync());

        Assert.True(versions[1] > versions[0] && versions[2] > versions[1] && versions[3] > versions[2], string.Join(", ", versions));
        Assert.Equal(versions[3], versions[4]);
        Assert.True(versions[5] > versions[4], string.Join(", ", versions));
        // What ListRoundUnits answers carries the version it is at: the renamed unit, alone, with its mark.
        var units = await grpc.ListRoundUnitsAsync(new() { RoundId = round.Id.ToString() }, ProvinceAdmin.GrpcHeaders());
        Assert.Equal(versions[5], units.UnitsVersion);
        var only = Assert.Single(units.Units);
        Assert.Equal("Sở thử phiên bản (đổi tên)", only.Name);
        Assert.Equal(["6"], only.NotApplicableCodes);
    }

    private static object Body(string group, RoundWindows windows, int year = 2025, Guid? set = null, bool? visible = null, string? reason = null) => new
    {
        year, name = "Đợt " + group, criteriaSetId = set ?? SeedIds.DepartmentSet2025, rankingGroup = group, windows,
        surveyScoresVisibleToUnits = visible, reason,
    };

    private static string Group(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>
    /// What the new-province walk-through slipped in: a 2027 round on the 2024 district set with 2026 windows, an
    /// appraisal opening before self-assessment closes, a districts group on a department set, a publication before
    /// the survey closes. Each is refused, named, and nothing is saved.
    /// </summary>
    [Fact]
    public async Task A_round_keeps_its_sets_year_and_level_and_its_windows_in_order_within_its_year()
    {
        var client = fixture.Client(ProvinceAdmin);
        var windows2026 = Windows with
        {
            SelfAssessmentOpensAt = Windows.SelfAssessmentOpensAt.AddYears(1), SelfAssessmentClosesAt = Windows.SelfAssessmentClosesAt.AddYears(1),
            AppraisalOpensAt = Windows.AppraisalOpensAt.AddYears(1), AppraisalClosesAt = Windows.AppraisalClosesAt.AddYears(1),
            SurveyOpensAt = Windows.SurveyOpensAt.AddYears(1), SurveyClosesAt = Windows.SurveyClosesAt.AddYears(1), PublicationAt = Windows.PublicationAt.AddYears(1),
        };

        var wrongYear = (await (await client.PostJsonAsync("/api/criteria/rounds", Body("districts", windows2026, 2027, SeedIds.DistrictSet2024))).ProblemAsync(400)).GetProperty("errors");
        var overlapping = (await (await client.PostJsonAsync("/api/criteria/rounds",
            Body(Group("overlap"), Windows with { AppraisalOpensAt = Windows.SelfAssessmentClosesAt.AddDays(-2) }))).ProblemAsync(400)).GetProperty("errors");
        var wrongLevel = (await (await client.PostJsonAsync("/api/criteria/rounds", Body("districts", Windows))).ProblemAsync(400)).GetProperty("errors");
        var lateSurvey = (await (await client.PostJsonAsync("/api/criteria/rounds",
            Body(Group("late"), Windows with { SurveyClosesAt = Windows.PublicationAt.AddDays(1) }))).ProblemAsync(400)).GetProperty("errors");

        Assert.Contains("is not the year 2024 of criteria set QN-HUYEN-2024", wrongYear.GetProperty("year")[0].GetString());
        Assert.Contains("outside the round's span for 2027", wrongYear.GetProperty("selfAssessmentOpensAt")[0].GetString());
        Assert.Contains("cannot open before self-assessment closes", overlapping.GetProperty("appraisal")[0].GetString());
        Assert.Contains("ranks District units, but the set evaluates Department units", wrongLevel.GetProperty("rankingGroup")[0].GetString());
        Assert.Contains("after the survey window closes", lateSurvey.GetProperty("publication")[0].GetString());
        var rounds = await (await client.GetAsync("/api/criteria/rounds")).ReadAsync<List<Round>>();
        Assert.DoesNotContain(rounds, round => round.Year == 2027 || round.Name.StartsWith("Đợt overlap") || round.Name.StartsWith("Đợt late"));
    }

    /// <summary>Tiên Yên district ceased on 30/06/2025 (split into communes): it cannot self-assess in 2026, nor can a commune sit in a district round.</summary>
    [Fact]
    public async Task A_round_takes_only_units_of_its_level_that_exist_when_self_assessment_opens()
    {
        var client = fixture.Client(ProvinceAdmin);
        var set = await (await client.PostJsonAsync($"/api/criteria/sets/{SeedIds.DistrictSet2024}/clone", new { year = 2026, code = "QN-HUYEN-UNITS-2026" }))
            .ReadAsync<Model.CriteriaSet>();
        (await client.PostAsync($"/api/criteria/sets/{set.Id}/publish", null)).EnsureSuccessStatusCode();
        var windows2026 = new RoundWindows(
            new(2026, 11, 10, 0, 0, 0, Vietnam), new(2026, 11, 23, 23, 59, 59, Vietnam), new(2026, 11, 24, 0, 0, 0, Vietnam),
            new(2026, 12, 20, 17, 0, 0, Vietnam), new(2026, 11, 1, 0, 0, 0, Vietnam), new(2026, 12, 15, 17, 0, 0, Vietnam), new(2027, 1, 20, 9, 0, 0, Vietnam));
        var round = await (await client.PostJsonAsync("/api/criteria/rounds", Body(Group("districts26"), windows2026, 2026, set.Id))).ReadAsync<Round>();

        var errors = (await (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}/units",
            new { unitIds = new[] { SeedIds.TienYenDistrict, SeedIds.XaTienYen } }, Json)).ProblemAsync(400)).GetProperty("errors");

        Assert.Equal("Huyện Tiên Yên is valid 01/01/2020 to 30/06/2025, not on 10/11/2026 when self-assessment opens.",
            errors.GetProperty(SeedIds.TienYenDistrict.ToString())[0].GetString());
        Assert.Contains("is a Commune unit; the round's set evaluates District units", errors.GetProperty(SeedIds.XaTienYen.ToString())[0].GetString());
        Assert.Empty(await (await client.GetAsync($"/api/criteria/rounds/{round.Id}/units")).ReadAsync<List<JsonElement>>());
        // In 2024 the same districts were valid: the seeded round keeps them.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/criteria/rounds/{SeedIds.DistrictsRound2024}/units",
            new { unitIds = new[] { SeedIds.HaLong, SeedIds.CamPha, SeedIds.VanDon, SeedIds.TienYenDistrict } }, Json)).StatusCode);
    }

    [Fact]
    public async Task A_rounds_year_set_and_ranking_group_cannot_change()
    {
        var client = fixture.Client(ProvinceAdmin);
        var group = Group("fixed");
        var round = await (await client.PostJsonAsync("/api/criteria/rounds", Body(group, Windows))).ReadAsync<Round>();

        var otherSet = await (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body(group, Windows, set: SeedIds.DistrictSet2024), Json)).ProblemAsync(409);
        var otherGroup = await (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body(group + "x", Windows), Json)).ProblemAsync(409);
        var renamed = await (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}",
            new { year = 2025, name = "Đổi tên", criteriaSetId = SeedIds.DepartmentSet2025, rankingGroup = group, windows = Windows }, Json)).ReadAsync<Round>();

        Assert.Equal("urn:par:criteria:round-fixed", otherSet.GetProperty("type").GetString());
        Assert.Contains("criteriaSetId", otherSet.GetProperty("detail").GetString());
        Assert.Contains("rankingGroup", otherGroup.GetProperty("detail").GetString());
        var read = await (await client.GetAsync($"/api/criteria/rounds/{round.Id}")).ReadAsync<Round>();
        Assert.Equal((SeedIds.DepartmentSet2025, group, "Đổi tên"), (read.CriteriaSetId, read.RankingGroup, read.Name));
        Assert.Equal(read, renamed);
    }

    /// <summary>
    /// "Draft" inside the criteria service: no member units, self-assessment not yet open, no later round built on it.
    /// Such a round can be deleted by the tenant's administrators; any other gets 409 with the reason.
    /// </summary>
    [Fact]
    public async Task Only_draft_rounds_with_nothing_attached_can_be_deleted()
    {
        var client = fixture.Client(ProvinceAdmin);
        var draft = await (await client.PostJsonAsync("/api/criteria/rounds", Body(Group("draft"), Windows))).ReadAsync<Round>();
        var withUnits = await (await client.PostJsonAsync("/api/criteria/rounds", Body(Group("units"), Windows))).ReadAsync<Round>();
        await client.PutAsJsonAsync($"/api/criteria/rounds/{withUnits.Id}/units", new { unitIds = new[] { SeedIds.SoTuPhap } }, Json);
        var opened = await (await client.PostJsonAsync("/api/criteria/rounds", Body(Group("opened"), new RoundWindows(
            new(2025, 1, 2, 8, 0, 0, Vietnam), new(2025, 2, 1, 17, 0, 0, Vietnam), new(2025, 2, 2, 8, 0, 0, Vietnam), new(2025, 3, 1, 17, 0, 0, Vietnam),
            new(2025, 1, 2, 8, 0, 0, Vietnam), new(2025, 2, 1, 17, 0, 0, Vietnam), new(2025, 3, 15, 9, 0, 0, Vietnam))))).ReadAsync<Round>();

        await (await fixture.Client(ProvinceViewer).DeleteAsync($"/api/criteria/rounds/{draft.Id}")).ProblemAsync(403);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/criteria/rounds/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/criteria/rounds/{draft.Id}")).StatusCode);

        var units = await (await client.DeleteAsync($"/api/criteria/rounds/{withUnits.Id}")).ProblemAsync(409);
        var open = await (await client.DeleteAsync($"/api/criteria/rounds/{opened.Id}")).ProblemAsync(409);
        var seeded = await (await client.DeleteAsync($"/api/criteria/rounds/{SeedIds.DepartmentsRound2024}")).ProblemAsync(409);
        Assert.Equal("urn:par:criteria:round-in-use", units.GetProperty("type").GetString());
        Assert.Contains("The round has 1 unit(s)", units.GetProperty("detail").GetString());
        Assert.Equal("Self-assessment opened on 02/01/2025 08:00; the round is no longer a draft.", open.GetProperty("detail").GetString());
        Assert.Contains("unit(s)", seeded.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/criteria/rounds/{withUnits.Id}")).StatusCode);
    }

    /// <summary>Moving a deadline is recorded: which window, old and new instant, who and when; administrators read the trail.</summary>
    [Fact]
    public async Task Window_moves_are_audited_for_administrators()
    {
        var client = fixture.Client(ProvinceAdmin);
        var group = Group("audit");
        var round = await (await client.PostJsonAsync("/api/criteria/rounds", Body(group, Windows))).ReadAsync<Round>();
        var moved = Windows with { SelfAssessmentClosesAt = Windows.SelfAssessmentClosesAt.AddDays(3), AppraisalOpensAt = Windows.AppraisalOpensAt.AddDays(3) };
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body(group, moved, reason: "  Công văn 123/SNV-CCHC: gia hạn 3 ngày  "), Json)).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body(group, moved), Json)).EnsureSuccessStatusCode(); // no move, no entry
        var tooLong = await client.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body(group, Windows, reason: new string('x', 1001)), Json);
        Assert.Equal("reason", (await tooLong.ProblemAsync(400)).GetProperty("errors").EnumerateObject().Single().Name);

        var trail = await (await client.GetAsync($"/api/criteria/rounds/{round.Id}/audit")).ReadAsync<List<JsonElement>>();

        Assert.Equal(9, trail.Count);
        Assert.All(trail.Take(7), entry => Assert.Equal(JsonValueKind.Null, entry.GetProperty("oldValue").ValueKind));
        var changes = trail.Skip(7).ToList();
        Assert.Equal(["selfAssessmentClosesAt", "appraisalOpensAt"], changes.Select(entry => entry.GetProperty("window").GetString()));
        Assert.Equal((Windows.SelfAssessmentClosesAt, moved.SelfAssessmentClosesAt),
            (changes[0].GetProperty("oldValue").GetDateTimeOffset(), changes[0].GetProperty("newValue").GetDateTimeOffset()));
        Assert.Equal((Windows.AppraisalOpensAt, moved.AppraisalOpensAt),
            (changes[1].GetProperty("oldValue").GetDateTimeOffset(), changes[1].GetProperty("newValue").GetDateTimeOffset()));
        // The reason given, trimmed, on each window it moved; none on the round's creation.
        Assert.All(changes, entry => Assert.Equal("Công văn 123/SNV-CCHC: gia hạn 3 ngày", entry.GetProperty("reason").GetString()));
        Assert.All(trail.Take(7), entry => Assert.Equal(JsonValueKind.Null, entry.GetProperty("reason").ValueKind));
        Assert.All(changes, entry => Assert.Equal(("admin-qn", "admin-qn", fixture.Clock.GetUtcNow()),
            (entry.GetProperty("changedBy").GetString(), entry.GetProperty("changedByName").GetString(), entry.GetProperty("changedAt").GetDateTimeOffset())));
        // With a token, the trail names the official by the token's name claim.
        using var named = fixture.BearerClient(ProvinceAdmin, "Nguyễn Văn Quản Trị");
        var later = moved with { PublicationAt = moved.PublicationAt.AddDays(7) };
        (await named.PutAsJsonAsync($"/api/criteria/rounds/{round.Id}", Body(group, later), Json)).EnsureSuccessStatusCode();
        var last = (await (await client.GetAsync($"/api/criteria/rounds/{round.Id}/audit")).ReadAsync<List<JsonElement>>())[^1];
        Assert.Equal(("publicationAt", "admin-qn", "Nguyễn Văn Quản Trị"),
            (last.GetProperty("window").GetString(), last.GetProperty("changedBy").GetString(), last.GetProperty("changedByName").GetString()));
        Assert.Equal((moved.PublicationAt, later.PublicationAt), (last.GetProperty("oldValue").GetDateTimeOffset(), last.GetProperty("newValue").GetDateTimeOffset()));
        // The Ministry's administrators read it too; a viewer of the tenant may not, another province does not see the round.
        Assert.Equal(10, (await (await fixture.Client(NationalAdmin).GetAsync($"/api/criteria/rounds/{round.Id}/audit")).ReadAsync<List<JsonElement>>()).Count);
        await (await fixture.Client(ProvinceViewer).GetAsync($"/api/criteria/rounds/{round.Id}/audit")).ProblemAsync(403);
        await (await fixture.Client(OtherProvinceAdmin).GetAsync($"/api/criteria/rounds/{round.Id}/audit")).ProblemAsync(404);
    }

    [Fact]
    public async Task Survey_scores_visibility_is_stored_and_served_over_rest_and_grpc()
    {
        var client = fixture.Client(ProvinceAdmin);
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());
        var group = Group("visible");
        var plain = await (await client.PostJsonAsync("/api/criteria/rounds", Body(Group("hidden"), Windows))).ReadAsync<JsonElement>();
        var visible = await (await client.PostJsonAsync("/api/criteria/rounds", Body(group, Windows, visible: true))).ReadAsync<Round>();

        Assert.False(plain.GetProperty("surveyScoresVisibleToUnits").GetBoolean());
        Assert.True((await (await client.GetAsync($"/api/criteria/rounds/{visible.Id}")).ReadAsync<Round>()).SurveyScoresVisibleToUnits);
        Assert.True((await grpc.GetRoundAsync(new() { RoundId = visible.Id.ToString() }, ProvinceAdmin.GrpcHeaders())).SurveyScoresVisibleToUnits);
        Assert.False((await grpc.GetRoundAsync(new() { RoundId = plain.GetProperty("id").GetString() }, ProvinceAdmin.GrpcHeaders())).SurveyScoresVisibleToUnits);

        // Absent on update: unchanged; false: turned off.
        Assert.True((await (await client.PutAsJsonAsync($"/api/criteria/rounds/{visible.Id}", Body(group, Windows), Json)).ReadAsync<Round>()).SurveyScoresVisibleToUnits);
        Assert.False((await (await client.PutAsJsonAsync($"/api/criteria/rounds/{visible.Id}", Body(group, Windows, visible: false), Json)).ReadAsync<Round>()).SurveyScoresVisibleToUnits);
        Assert.False((await grpc.GetRoundAsync(new() { RoundId = visible.Id.ToString() }, ProvinceAdmin.GrpcHeaders())).SurveyScoresVisibleToUnits);
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
