using System.Globalization;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;

namespace ParPlatform.Ranking.Tests.Scoring;

public class FiguresTests
{
    [Theory]
    [InlineData("75", 2, "75.00")]
    [InlineData("80.2805", 2, "80.28")]
    [InlineData("2.345", 2, "2.35")]      // half away from zero, not to even
    [InlineData("-2.345", 2, "-2.35")]
    [InlineData("28.8785", 1, "28.9")]
    [InlineData("2.5", 0, "3")]
    [InlineData("88.888888888888888888888888889", 2, "88.89")]
    public void A_figure_is_shown_rounded_half_away_from_zero_with_exactly_its_decimals(string value, int decimals, string shown)
    {
        var number = decimal.Parse(value, CultureInfo.InvariantCulture);
        Assert.Equal(shown, Figures.Shown(number, decimals).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(shown, Figures.Text(number, decimals));
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("0.25", 2)]
    [InlineData("0.50", 1)]
    [InlineData("1", 0)]
    [InlineData("0.125", 3)]
    public void Points_take_the_decimals_of_the_sets_score_step(string? step, int decimals) =>
        Assert.Equal(decimals, Figures.DecimalsOf(step is null ? null : decimal.Parse(step, CultureInfo.InvariantCulture)));
}
