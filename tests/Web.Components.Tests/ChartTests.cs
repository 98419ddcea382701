using System.Text.RegularExpressions;
using ParPlatform.Web.Features.Ranking.Charts;

namespace ParPlatform.Web.Components.Tests;

/// <summary>The SVG charts in a vi-VN page: figures in the text say "79,88%", coordinates stay SVG numbers.</summary>
public partial class ChartTests : ConsoleComponentTest
{
    [Fact]
    public void A_unit_profile_draws_decimal_bars_with_svg_numbers_and_says_the_figures_in_vietnamese()
    {
        var chart = Render<ProfileChart>(p => p
            .Add(x => x.Title, "Hồ sơ điểm")
            .Add(x => x.UnitName, "Sở Tư pháp")
            .Add(x => x.Fields, [new("1", "Công tác chỉ đạo", 79.88m, 50.25m), new("2", "Thể chế", 100m, null)]));

        // "375,436" in an attribute is no length: the bar would vanish (it did, on the unit ranking page).
        var widths = chart.FindAll("rect[width]").Select(rect => rect.GetAttribute("width")!).ToList();
        Assert.All(widths, width => Assert.Matches(SvgNumber(), width));
        Assert.Contains("375.44", widths); // 79.88 % of the 470-unit span
        Assert.Contains("79,88%", chart.Markup);
        // The second field has no group average: no bar for it and "–" in the comparison.
        Assert.Equal("–", ProfileChart.Versus(new("2", "Thể chế", 100m, null)));
        Assert.StartsWith("▲ cao hơn 29,63%", ProfileChart.Versus(new("1", "Công tác chỉ đạo", 79.88m, 50.25m)));
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex SvgNumber();
}
