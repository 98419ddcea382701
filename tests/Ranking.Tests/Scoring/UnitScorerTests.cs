using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;
using static ParPlatform.Ranking.Tests.Scoring.Sets;

namespace ParPlatform.Ranking.Tests.Scoring;

public class UnitScorerTests
{
    // 65 appraisal points and 35 survey points, as the district's 2021 report implies.
    private static readonly ScoringSet SixtyFiveThirtyFive = Set(null,
        Field("1", "Công tác chỉ đạo, điều hành", ScoringNode.Leaf("1.1.1", "Kế hoạch CCHC", 40), ScoringNode.Leaf("1.1.2", "Kiểm tra CCHC", 25)),
        Field("2", "Tác động của CCHC", ScoringNode.Leaf("2.1.1", "Sự hài lòng của người dân", 35, ScoreSource.Survey)));

    [Fact]
    public void A_65_35_unit_with_79_08_and_82_51_percent_parts_scores_80_28()
    {
        var unit = Unit("Huyện A",
            new Dictionary<string, decimal> { ["1.1.1"] = 30.402m, ["1.1.2"] = 21m },
            // the survey service measures on a 100-point scale; the set gives the item 35
            new Dictionary<string, SurveyPoints> { ["2.1.1"] = new(82.51m, 100m) });

        var result = UnitScorer.Score(SixtyFiveThirtyFive, unit);

        Assert.Equal(80.2805m, result.TotalPoints);
        Assert.Equal(100m, result.ApplicableMaxPoints);
        Assert.Equal(new Part(51.402m, 65m), result.Appraisal);
        Assert.Equal(new Part(28.8785m, 35m), result.Survey);
        Assert.Equal(79.08m, result.Appraisal.Percent);
        Assert.Equal(82.51m, result.Survey.Percent);
        Assert.Equal(80.28m, Figures.Round(result.TotalPoints));
        Assert.Equal("80,28%", Figures.Percent(result.IndexPercent));
        Assert.Equal("79,08%", Figures.Percent(result.Appraisal.Percent));
        Assert.Equal("Tốt", result.Band);
    }

    [Fact]
    public void Points_roll_up_from_sub_criteria_to_criteria_and_fields()
    {
        var unit = Unit("Huyện A", new Dictionary<string, decimal> { ["1.1.1"] = 30m, ["1.1.2"] = 20m });

        var result = UnitScorer.Score(SixtyFiveThirtyFive, unit);

        var node = result.Nodes.ToDictionary(n => n.Code);
        Assert.Equal((50m, 65m), (node["1.1"].Points, node["1.1"].MaxPoints));
        Assert.Equal((50m, 65m), (node["1"].Points, node["1"].MaxPoints));
        Assert.Equal((0m, 35m), (node["2"].Points, node["2"].MaxPoints)); // no survey figures yet
        Assert.Equal(["1", "1.1", "1.1.1", "1.1.2", "2", "2.1", "2.1.1"], result.Nodes.Select(n => n.Code));
        Assert.Equal(["1", "2"], result.Fields.Select(f => f.Code));
    }

    [Fact]
    public void Not_applicable_criteria_leave_the_denominator_68_32_of_84_is_81_33_percent()
    {
        var set = Set(null,
            Field("1", "Lĩnh vực 1", ScoringNode.Leaf("1.1.1", "a", 50), ScoringNode.Leaf("1.1.2", "b", 34)),
            ScoringNode.Group("2", "Lĩnh vực 2", ScoringNode.Group("2.1", "Không áp dụng cho đơn vị", ScoringNode.Leaf("2.1.1", "c", 16))));
        var unit = Unit("Sở A", new Dictionary<string, decimal> { ["1.1.1"] = 40m, ["1.1.2"] = 28.32m, ["2.1.1"] = 16m }, null, "2.1");

        var result = UnitScorer.Score(set, unit);

        Assert.Equal(68.32m, result.TotalPoints);
        Assert.Equal(84m, result.ApplicableMaxPoints);
        Assert.Equal(81.33m, Figures.Round(result.IndexPercent));
        Assert.Equal("81,33%", Figures.Percent(result.IndexPercent));
        var field2 = result.Nodes.Single(n => n.Code == "2");
        Assert.False(field2.Applicable);
        Assert.Equal((0m, 0m), (field2.Points, field2.MaxPoints));
    }

    [Fact]
    public void Field_percentage_is_of_the_fields_own_applicable_maximum()
    {
        var set = Set(null, Field("1", "Lĩnh vực", ScoringNode.Leaf("1.1.1", "a", 6), ScoringNode.Leaf("1.1.2", "b", 4)));
        var unit = Unit("Sở A", new Dictionary<string, decimal> { ["1.1.1"] = 3m, ["1.1.2"] = 4m }, null, "1.1.2");

        var field = UnitScorer.Score(set, unit).Fields.Single();

        Assert.Equal((3m, 6m, 50m), (field.Points, field.MaxPoints, field.Percent));
    }

    [Fact]
    public void Bonus_and_penalty_points_count_within_their_caps_and_never_change_the_maximum()
    {
        var set = Set(null,
                Field("1", "Lĩnh vực", ScoringNode.Leaf("1.1.1", "a", 100)),
                ScoringNode.Group("9", "Điểm thưởng, điểm trừ",
                    ScoringNode.Leaf("9.1", "Sáng kiến", 2, kind: ItemKind.Bonus),
                    ScoringNode.Leaf("9.2", "Giải thưởng", 2, kind: ItemKind.Bonus),
                    ScoringNode.Leaf("9.3", "Vi phạm kỷ luật", 2, kind: ItemKind.Penalty),
                    ScoringNode.Leaf("9.4", "Chậm báo cáo", 2, kind: ItemKind.Penalty)))
            with { BonusCap = 3m, PenaltyCap = 2.5m };
        var unit = Unit("Sở A", new Dictionary<string, decimal>
        {
            ["1.1.1"] = 70m, ["9.1"] = 2m, ["9.2"] = 1.5m, ["9.3"] = -1.5m, ["9.4"] = -5m,
        });

        var result = UnitScorer.Score(set, unit);

        Assert.Equal(3m, result.BonusPoints);       // 3.5 capped at 3
        Assert.Equal(2.5m, result.PenaltyPoints);   // 1.5 + 2 (item limit) capped at 2.5
        Assert.Equal(70.5m, result.TotalPoints);
        Assert.Equal(100m, result.ApplicableMaxPoints);
        Assert.Equal(["1"], result.Fields.Select(f => f.Code));
    }

    [Theory]
    [InlineData(90, "Tốt")]
    [InlineData(79.995, "Tốt")]      // published as 80,00%: the band follows the published figure
    [InlineData(79.994, "Khá")]
    [InlineData(65, "Khá")]
    [InlineData(56.17, "Trung bình")]
    [InlineData(0, "Kém")]
    public void Classification_uses_inclusive_lower_bounds_of_the_sets_bands(decimal percent, string band) =>
        Assert.Equal(band, Scored("Sở A", percent).Band);

    [Fact]
    public void Scores_outside_an_items_range_are_clamped()
    {
        var result = UnitScorer.Score(Simple, Unit("Sở A", new Dictionary<string, decimal> { ["1.1.1"] = 120m }));
        Assert.Equal(100m, result.TotalPoints);
    }

    [Theory]
    [InlineData(79.875, "79,88%")]
    [InlineData(-2.305, "-2,31%")]
    [InlineData(100, "100,00%")]
    public void Percentages_are_printed_vi_VN_rounded_half_away_from_zero(decimal value, string printed) =>
        Assert.Equal(printed, Figures.Percent(value));
}
