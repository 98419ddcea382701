using System.Net;
using Grpc.Core;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Criteria.Seed;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

[Collection(CriteriaServiceCollection.Name)]
public class GrpcServiceTests(CriteriaServiceFixture fixture)
{
    [Fact]
    public async Task GetCriteriaSet_returns_the_whole_tree()
    {
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());

        var set = await grpc.GetCriteriaSetAsync(new() { SetId = SeedIds.DepartmentSet2024.ToString() }, MinistryClient.GrpcHeaders());

        var expected = Model.Tree.Flatten(DemoSets.Departments(2024).Fields).ToList();
        var nodes = Flatten(set.Fields).ToList();
        Assert.Equal(expected.Select(node => node.Code), nodes.Select(node => node.Code));
        Assert.Equal(expected.Count(node => node.Items.Count == 0 && node.Depth == 3), nodes.Count(node => node.Kind == NodeKind.SubCriterion));
        Assert.Equal(("100", "65", "35", "0.25", "2", "3"), (set.MaxPoints, set.AppraisalPoints, set.SurveyPoints, set.ScoreStep, set.BonusCap, set.PenaltyCap));
        Assert.Equal((SetStatus.Published, EvaluatedLevel.Department, 1), (set.Status, set.Level, set.Version));
        Assert.Equal(["Tốt", "Khá", "Trung bình", "Yếu", "Kém"], set.Bands.Select(band => band.Label));
        var plan = nodes.Single(node => node.Code == "1.1.1");
        Assert.Equal(["1", "0.5", "0"], plan.Rule.Options.Select(option => option.Points));
        Assert.Equal((ScoringMethod.Appraised, true), (plan.Method, plan.EvidenceRequired));
        Assert.Equal(["2", "1", "0"], nodes.Single(node => node.Code == "1.1.2").Rule.Tiers.Select(tier => tier.Points));
        var penalty = nodes.Single(node => node.Code == "10.1");
        Assert.Equal(("0", "-2", true), (penalty.MaxPoints, penalty.MinPoints, penalty.IsPenalty));
        Assert.Equal(ScoringMethod.Survey, nodes.Single(node => node.Code == "8.3.5").Method);
    }

    /// <summary>Leaves at depth 2 and 3 side by side: the set validates, publishes, and every service sees the criterion 1.1 as a scored leaf.</summary>
    [Fact]
    public async Task A_set_with_criteria_scored_at_depth_two_publishes_and_serves_their_methods()
    {
        var client = fixture.Client(ProvinceAdmin);
        var definition = ValidationTests.MixedDepths("MIXED-GRPC");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostJsonAsync("/api/criteria/sets/validate", definition)).StatusCode);
        var draft = await (await client.PostJsonAsync("/api/criteria/sets", definition)).ReadAsync<Model.CriteriaSet>();
        (await client.PostAsync($"/api/criteria/sets/{draft.Id}/publish", null)).EnsureSuccessStatusCode();

        var set = await new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel())
            .GetCriteriaSetAsync(new() { SetId = draft.Id.ToString() }, ProvinceAdmin.GrpcHeaders());

        Assert.Equal(SetStatus.Published, set.Status);
        var nodes = Flatten(set.Fields).ToDictionary(node => node.Code);
        var plan = nodes["1.1"];
        Assert.Equal((NodeKind.Criterion, ScoringMethod.Appraised, true, "20", 0), (plan.Kind, plan.Method, plan.EvidenceRequired, plan.MaxPoints, plan.Children.Count));
        Assert.Equal(["20", "10", "0"], plan.Rule.Options.Select(option => option.Points));
        Assert.Equal((NodeKind.Criterion, ScoringMethod.Survey), (nodes["2.1"].Kind, nodes["2.1"].Method));
        Assert.Equal((NodeKind.SubCriterion, ScoringMethod.Appraised), (nodes["1.2.1"].Kind, nodes["1.2.1"].Method));
        Assert.Equal(ScoringMethod.Unspecified, nodes["1.2"].Method);
        // Scored leaves (no children, below a field) carry exactly the appraisal and survey points.
        var leaves = nodes.Values.Where(node => node.Children.Count == 0 && node.Kind != NodeKind.Field).ToList();
        Assert.Equal(["1.1", "1.2.1", "1.2.2", "2.1", "2.2"], leaves.Select(node => node.Code).Order());
        Assert.Equal((60m, 40m), (
            leaves.Where(node => node.Method == ScoringMethod.Appraised).Sum(node => decimal.Parse(node.MaxPoints, System.Globalization.CultureInfo.InvariantCulture)),
            leaves.Where(node => node.Method == ScoringMethod.Survey).Sum(node => decimal.Parse(node.MaxPoints, System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(("60", "40"), (set.AppraisalPoints, set.SurveyPoints));
    }

    [Fact]
    public async Task The_reference_skeleton_carries_unknown_maxima_as_empty()
    {
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());

        var set = await grpc.GetCriteriaSetAsync(new() { SetId = SeedIds.NationalProvincialSkeleton.ToString() }, NationalAdmin.GrpcHeaders());

        Assert.True(set.ReferenceSkeleton);
        Assert.Equal(8, set.Fields.Count);
        Assert.All(set.Fields, field => Assert.Equal("", field.MaxPoints));
        Assert.Equal(("100", "32"), (set.MaxPoints, set.SurveyPoints));
    }

    [Fact]
    public async Task Unknown_or_foreign_sets_are_not_found_and_bad_ids_invalid()
    {
        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());

        async Task<StatusCode> Status(string id, Metadata headers) =>
            (await Assert.ThrowsAsync<RpcException>(() => grpc.GetCriteriaSetAsync(new() { SetId = id }, headers).ResponseAsync)).StatusCode;

        Assert.Equal(StatusCode.NotFound, await Status(Guid.NewGuid().ToString(), ProvinceAdmin.GrpcHeaders()));
        Assert.Equal(StatusCode.NotFound, await Status(SeedIds.DepartmentSet2024.ToString(), OtherProvinceAdmin.GrpcHeaders()));
        Assert.Equal(StatusCode.InvalidArgument, await Status("not-a-uuid", ProvinceAdmin.GrpcHeaders()));
    }

    private static IEnumerable<CriteriaNode> Flatten(IEnumerable<CriteriaNode> nodes) =>
        nodes.SelectMany(node => Flatten(node.Children).Prepend(node));
}
