using System.Text.Json;
using ParPlatform.Web.Features.Criteria;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Components.Tests;

/// <summary>The criteria-set editor's tree operations and what it sends the criteria service (its JSON document).</summary>
public class CriteriaSetTreeTests : ConsoleComponentTest
{
    private static EditableNode Leaf(string code, decimal max) => new() { Code = code, Name = "Mục " + code, MaxPoints = max, Method = "Appraised" };

    private static EditableNode Criterion(string code, params EditableNode[] children) =>
        new() { Code = code, Name = "Tiêu chí " + code, MaxPoints = children.Sum(c => c.MaxPoints), Children = [.. children] };

    [Fact]
    public void Moving_an_item_down_swaps_its_code_with_its_sibling_and_recodes_their_children()
    {
        var first = Criterion("2.1", Leaf("2.1.1", 1), Leaf("2.1.2", 2));
        var second = Criterion("2.2", Leaf("2.2.1", 3));
        var siblings = new List<EditableNode> { first, second };

        Assert.True(CriteriaSets.Move(siblings, first, 1));

        Assert.Equal([second, first], siblings);
        Assert.Equal("2.1", second.Code);
        Assert.Equal("2.1.1", second.Items[0].Code);
        Assert.Equal(3, second.Items[0].MaxPoints);
        Assert.Equal("2.2", first.Code);
        Assert.Equal(["2.2.1", "2.2.2"], first.Items.Select(n => n.Code));
        Assert.False(CriteriaSets.Move(siblings, first, 1)); // already last
    }

    [Fact]
    public void A_new_item_takes_the_code_after_the_highest_used_so_other_codes_stay()
    {
        var parent = Criterion("7.3", Leaf("7.3.1", 1), Leaf("7.3.4", 1));
        Assert.Equal("7.3.5", CriteriaSets.NextCode(parent, parent.Items));
        Assert.Equal("9", CriteriaSets.NextCode(null, [Criterion("1"), Criterion("8")]));
        Assert.Equal("3.1", CriteriaSets.NextCode(Criterion("3"), []));
    }

    [Fact]
    public void Options_tiers_and_bands_are_read_as_officials_type_them_and_written_in_vietnamese()
    {
        Assert.Equal([("Đạt", 1m), ("Một phần", 0.5m), ("Không đạt", 0m)], CriteriaSets.Pairs("Đạt=1; Một phần=0,5; Không đạt=0"));
        Assert.Equal([("100", 2m), ("80", 1.5m), ("0", 0m)], CriteriaSets.Pairs("100%=2; 80% = 1.5; 0%=0", percent: true));
        Assert.Empty(CriteriaSets.Pairs("")!);
        Assert.Null(CriteriaSets.Pairs("Đạt=một"));
        Assert.Null(CriteriaSets.Pairs("Đạt"));

        var rule = new RuleEdit { Options = [new() { Label = "Một phần", Points = 0.5m }], Tiers = [new() { MinPercent = 80, Points = 1.25m }] };
        Assert.Equal("Một phần=0,5", CriteriaSets.Options(rule));
        Assert.Equal("80%=1,25", CriteriaSets.Tiers(rule));
    }

    [Fact]
    public void The_definition_is_sent_as_the_services_json_document_without_the_pages_own_members()
    {
        var set = new EditableSet
        {
            Code = "QN-SO-2031", Name = "Bộ thử", Year = 2031, MaxPoints = 3, AppraisalPoints = 3, SurveyPoints = 0,
            Bands = [new() { Label = "Tốt", MinPercent = 0 }], Fields = [Criterion("1", Leaf("1.1", 3))],
        };

        var json = JsonSerializer.SerializeToElement(set, PlatformApi.Json);

        var field = json.GetProperty("fields")[0];
        Assert.Equal("1", field.GetProperty("code").GetString());
        Assert.Equal("Appraised", field.GetProperty("children")[0].GetProperty("method").GetString());
        Assert.Equal(3m, field.GetProperty("children")[0].GetProperty("maxPoints").GetDecimal());
        Assert.False(field.TryGetProperty("key", out _));
        Assert.False(field.TryGetProperty("items", out _));
        Assert.False(field.TryGetProperty("depth", out _));
        Assert.Equal("\"0123456789abcdef0123456789abcdef-4-D\"",
            CriteriaSets.ETag(new StoredSet(Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), "quang-ninh", "Draft", 4, null, default, null, set)));
    }
}
