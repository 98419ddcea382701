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

    /// <summary>
    /// Real sets have criteria without sub-criteria ("1.1"): they are scored items like sub-criteria, with method, rule
    /// and evidence requirement, and count in the appraisal and survey sums. A field is never scored itself.
    /// </summary>
    [Fact]
    public void A_criterion_without_sub_criteria_is_a_scored_item_and_a_field_never_is()
    {
        var mixed = Tree.Normalize(MixedDepths("MIXED-1"));
        Assert.Empty(SetValidator.Validate(mixed));

        var noMethod = mixed with { Fields = [mixed.Fields[0] with { Children = [mixed.Fields[0].Items[0] with { Method = null }, mixed.Fields[0].Items[1]] }, mixed.Fields[1]] };
        Assert.Contains(SetValidator.Validate(noMethod)["1.1"], m => m.Contains("needs a method"));

        // 1.1 turned into a survey item: 20 points move from the appraisal sum to the survey sum.
        var resurveyed = mixed with { Fields = [mixed.Fields[0] with { Children = [mixed.Fields[0].Items[0] with { Method = ScoringMethod.Survey, Rule = null }, mixed.Fields[0].Items[1]] }, mixed.Fields[1]] };
        var sums = SetValidator.Validate(resurveyed)["set"];
        Assert.Contains(sums, m => m.Contains("Survey-scored items add up to 60"));
        Assert.Contains(sums, m => m.Contains("Appraised items add up to 40"));

        // A field without criteria was taken as a scored item; no client scores fields, so its points would vanish.
        var bareField = mixed with { Fields = [mixed.Fields[0], new CriteriaNode("2", "Khảo sát", 40, Method: ScoringMethod.Survey)] };
        Assert.Contains(SetValidator.Validate(Tree.Normalize(bareField))["2"], m => m.Contains("A field holds criteria"));
    }

    /// <summary>60 appraised points (a criterion scored itself, 1.1, and one with sub-criteria, 1.2) and 40 survey points at depth 2.</summary>
    public static CriteriaSetDefinition MixedDepths(string code) => new(
        code, "Bộ tiêu chí có tiêu chí không có tiêu chí thành phần", 2026, EvaluatedLevel.Department, 100, 60, 40,
        [new("Tốt", 90), new("Kém", 0)],
        [
            new("1", "Công tác chỉ đạo", 60, Children:
            [
                new("1.1", "Ban hành kế hoạch CCHC", 20, Method: ScoringMethod.Appraised, EvidenceRequired: true,
                    Rule: new([new("Đúng hạn", 20), new("Chậm", 10), new("Không ban hành", 0)])),
                new("1.2", "Báo cáo CCHC", 40, Children:
                [
                    new("1.2.1", "Đủ số lượng", 25, Method: ScoringMethod.Appraised),
                    new("1.2.2", "Đúng hạn", 15, Method: ScoringMethod.Appraised, EvidenceRequired: true),
                ]),
            ]),
            new("2", "Khảo sát sự hài lòng", 40, Children:
            [
                new("2.1", "Sự hài lòng của người dân", 30, Method: ScoringMethod.Survey),
                new("2.2", "Sự hài lòng của doanh nghiệp", 10, Method: ScoringMethod.Survey),
            ]),
        ]);

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
