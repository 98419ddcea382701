using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;

namespace ParPlatform.Criteria.Tests;

public class ValidationTests
{
    [Fact]
    public void Demo_sets_are_valid()
    {
        Assert.Empty(SetValidator.Validate(Tree.Normalize(DemoSets.Departments(2024))));
        Assert.Empty(SetValidator.Validate(Tree.Normalize(DemoSets.Departments(2025))));
        Assert.Empty(SetValidator.Validate(Tree.Normalize(DemoSets.Districts(2024))));
        Assert.Empty(SetValidator.Validate(Tree.Normalize(DemoSets.NationalProvincialSkeleton())));
    }

    [Fact]
    public void Every_offending_node_is_named_in_one_pass()
    {
        var set = Tree.Normalize(Broken());
        var errors = SetValidator.Validate(set);

        Assert.Contains("Children add up to 2, not to this item's maximum 3", string.Join(" ", errors["1.1"]));
        Assert.Contains(errors["2.5"], message => message.Contains("does not sit under"));
        Assert.Contains(errors["x.1"], message => message.Contains("not of the form"));
        Assert.Contains(errors["2.1.1"], message => message.Contains("is used 2 times"));
        Assert.Contains(errors["2.1.1"], message => message.Contains("needs a method"));
        Assert.Contains(errors["set"], message => message.Contains("Survey-scored items add up to"));
        Assert.Contains(errors["bands[1]"], message => message.Contains("overlaps"));
        Assert.Contains(errors["bands"], message => message.Contains("must start at 0%"));
        Assert.Contains(errors["2.2"], message => message.Contains("Rule points 5 lie outside"));
    }

    [Fact]
    public void Skeleton_may_leave_maxima_unknown_but_a_regular_set_may_not()
    {
        var skeleton = Tree.Normalize(DemoSets.NationalProvincialSkeleton());
        var regular = skeleton with { ReferenceSkeleton = false };

        Assert.Empty(SetValidator.Validate(skeleton));
        var errors = SetValidator.Validate(regular);
        Assert.All(["1", "2", "8.1", "8.3"], code => Assert.Contains(errors[code], m => m.Contains("Maximum points are required")));
    }

    [Fact]
    public void Penalty_items_need_a_negative_minimum_and_a_cap()
    {
        var set = Tree.Normalize(DemoSets.Departments(2024));
        var penalty = set.Fields.Single(field => field.Code == "10");
        var broken = set with
        {
            PenaltyCap = null,
            Fields = [.. set.Fields.Where(f => f.Code != "10"), penalty with { Children = [penalty.Items[0] with { MinPoints = 0 }, penalty.Items[1]] }],
        };

        var errors = SetValidator.Validate(broken);

        Assert.Contains(errors["10.1"], m => m.Contains("negative minimum"));
        Assert.Contains(errors["set"], m => m.Contains("penalty cap"));
    }

    /// <summary>A small set with one of each mistake.</summary>
    public static CriteriaSetDefinition Broken() => new(
        "BROKEN", "Bộ tiêu chí lỗi", 2025, EvaluatedLevel.Department, 10, 5, 5,
        [new("Tốt", 90), new("Khá", 95)],
        [
            new("1", "Lĩnh vực 1", 5, Children:
            [
                new("1.1", "Tiêu chí 1.1", 3, Children: [new("1.1.1", "TCTP", 2, Method: ScoringMethod.Appraised)]),
                new("2.5", "Tiêu chí ở sai chỗ", 2, Method: ScoringMethod.Appraised),
                new("x.1", "Mã sai", 0, Method: ScoringMethod.Appraised),
            ]),
            new("2", "Lĩnh vực 2", 5, Children:
            [
                new("2.1", "Tiêu chí 2.1", 2, Children: [new("2.1.1", "A", 1), new("2.1.1", "B", 1, Method: ScoringMethod.Survey)]),
                new("2.2", "Tiêu chí 2.2", 3, Method: ScoringMethod.Survey, Rule: new([new("Đạt", 5), new("Không đạt", 0)])),
            ]),
        ]);
}

public class BenchmarkSetTests
{
    [Fact]
    public void The_benchmark_set_is_valid_with_100_sub_criteria()
    {
        var set = CriteriaReadBenchmark.HundredSubCriteria("BENCH");

        Assert.Empty(SetValidator.Validate(set));
        Assert.Equal(100, Tree.Flatten(set.Fields).Count(node => node.Depth == 3));
    }
}
