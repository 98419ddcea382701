using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;
using static ParPlatform.Ranking.Tests.Scoring.Sets;

namespace ParPlatform.Ranking.Tests.Scoring;

public class GroupRankerTests
{
    [Fact]
    public void Ties_share_a_rank_and_the_next_rank_is_skipped()
    {
        var ranked = GroupRanker.Rank(
            [Scored("Sở D", 70m), Scored("Sở B", 85.5m), Scored("Sở A", 90m), Scored("Sở C", 85.5m)], RankingOptions.Default);

        Assert.Equal([1, 2, 2, 4], ranked.Select(unit => unit.Rank));
        Assert.Equal(["Sở A", "Sở B", "Sở C", "Sở D"], ranked.Select(unit => unit.Result.UnitName));
    }

    [Fact]
    public void Units_published_with_the_same_two_decimals_tie()
    {
        var ranked = GroupRanker.Rank([Scored("Sở A", 80.2805m), Scored("Sở B", 80.2849m), Scored("Sở C", 80.2749m)], RankingOptions.Default);
        Assert.Equal([1, 1, 3], ranked.Select(unit => unit.Rank));
    }

    [Fact]
    public void The_configured_tie_break_separates_equal_indices_by_the_appraisal_part()
    {
        var set = Set(null,
            Field("1", "Thẩm định", ScoringNode.Leaf("1.1.1", "a", 60)),
            Field("2", "Điều tra", ScoringNode.Leaf("2.1.1", "b", 40, ScoreSource.Survey)));
        UnitResult Unit(string name, decimal appraised, decimal survey) => UnitScorer.Score(set, Sets.Unit(name,
            new Dictionary<string, decimal> { ["1.1.1"] = appraised }, new Dictionary<string, SurveyPoints> { ["2.1.1"] = new(survey, 40) }));
        UnitResult[] group = [Unit("Sở A", 40, 40), Unit("Sở B", 50, 30), Unit("Sở C", 50, 30), Unit("Sở D", 10, 10)];

        var plain = GroupRanker.Rank(group, RankingOptions.Default);
        var byAppraisal = GroupRanker.Rank(group, new RankingOptions(TieBreak.AppraisalPercent));

        Assert.Equal([1, 1, 1, 4], plain.Select(unit => unit.Rank));
        Assert.Equal([("Sở B", 1), ("Sở C", 1), ("Sở A", 3), ("Sở D", 4)], byAppraisal.Select(unit => (unit.Result.UnitName, unit.Rank)));
    }

    [Fact]
    public void Ten_districts_give_the_reported_average_extremes_bands_and_fields()
    {
        // Provincial report: 10 districts averaged 72.76%, 9 of 10 "Khá", Nậm Pồ highest (77.03%), Mường Nhé lowest
        // (56.17%); fields: legal documents 89.18% and apparatus 84.43% strongest, modernisation 65.23% and public
        // finance 70.11% weakest, direction and management 76.55%. Five fields score the same for every unit; the
        // impact field makes up each unit's index.
        var set = Set(DistrictBands,
            Field("1", "Công tác chỉ đạo, điều hành", ScoringNode.Leaf("1.1.1", "a", 10)),
            Field("2", "Xây dựng và tổ chức thực hiện văn bản QPPL", ScoringNode.Leaf("2.1.1", "a", 5)),
            Field("3", "Cải cách tổ chức bộ máy", ScoringNode.Leaf("3.1.1", "a", 5)),
            Field("4", "Cải cách tài chính công", ScoringNode.Leaf("4.1.1", "a", 10)),
            Field("5", "Hiện đại hóa hành chính", ScoringNode.Leaf("5.1.1", "a", 20)),
            Field("6", "Tác động của CCHC", ScoringNode.Leaf("6.1.1", "a", 50)));
        (string Name, decimal Index)[] districts =
        [
            ("Nậm Pồ", 77.03m), ("Mường Nhé", 56.17m), ("Điện Biên", 72.00m), ("Tuần Giáo", 73.00m), ("Mường Chà", 74.00m),
            ("Tủa Chùa", 74.30m), ("Mường Ảng", 74.60m), ("Điện Biên Đông", 75.00m), ("Mường Lay", 75.50m), ("Điện Biên Phủ", 76.00m),
        ];
        const decimal commonFields = 7.655m + 4.459m + 4.2215m + 7.011m + 13.046m;
        var results = districts.Select(d => UnitScorer.Score(set, Unit(d.Name, new Dictionary<string, decimal>
        {
            ["1.1.1"] = 7.655m, ["2.1.1"] = 4.459m, ["3.1.1"] = 4.2215m, ["4.1.1"] = 7.011m, ["5.1.1"] = 13.046m,
            ["6.1.1"] = d.Index - commonFields,
        }))).ToList();

        var ranked = GroupRanker.Rank(results, RankingOptions.Default);
        var statistics = GroupStatistics.Of(ranked, set.Bands, RankingOptions.Default);

        Assert.Equal(10, statistics.Count);
        Assert.Equal(72.76m, statistics.AveragePercent);
        Assert.Equal(74.45m, statistics.MedianPercent);
        Assert.Equal(("Nậm Pồ", 77.03m), (statistics.Highest!.UnitName, statistics.Highest.Percent));
        Assert.Equal(("Mường Nhé", 56.17m), (statistics.Lowest!.UnitName, statistics.Lowest.Percent));
        Assert.Equal([("Tốt", 0), ("Khá", 9), ("Trung bình", 1), ("Yếu", 0), ("Kém", 0)],
            statistics.Bands.Select(b => (b.Label, b.Count)));
        Assert.Equal(76.55m, statistics.FieldAverages.Single(f => f.Code == "1").AveragePercent);
        Assert.Equal([("2", 89.18m), ("3", 84.43m)], statistics.StrongestFields.Select(f => (f.Code, Figures.Round(f.AveragePercent))));
        Assert.Equal([("5", 65.23m), ("4", 70.11m)], statistics.WeakestFields.Select(f => (f.Code, Figures.Round(f.AveragePercent))));
        Assert.Equal("Cải cách tổ chức bộ máy", statistics.StrongestFields[1].Name);
        Assert.Equal("72,76%", Figures.Percent(statistics.AveragePercent));
    }

    [Fact]
    public void What_if_closes_the_largest_gaps_and_reports_the_rank_reached()
    {
        var set = Set(null, Field("1", "Lĩnh vực",
            ScoringNode.Leaf("1.1.1", "a", 40), ScoringNode.Leaf("1.1.2", "b", 30), ScoringNode.Leaf("1.1.3", "c", 30)));
        var me = UnitScorer.Score(set, Unit("Sở A", new Dictionary<string, decimal> { ["1.1.1"] = 35, ["1.1.2"] = 20, ["1.1.3"] = 24 }));
        UnitResult[] group = [me, Scored("Sở B", 90), Scored("Sở C", 86), Scored("Sở D", 84), Scored("Sở E", 70)];

        var whatIf = WhatIf.Analyse(group, me.UnitId, 2, TieBreak.None);

        Assert.Equal(4, whatIf.CurrentRank);                                    // 79 points
        Assert.Equal([("1.1.2", 10m), ("1.1.3", 6m)], whatIf.Gaps.Select(g => (g.Code, g.Missing)));
        Assert.Equal((95m, 95m), (whatIf.ProjectedPoints, whatIf.ProjectedPercent));
        Assert.Equal(1, whatIf.ProjectedRank);
        Assert.Equal(2, WhatIf.Analyse(group, me.UnitId, 1, TieBreak.None).ProjectedRank); // 89 points
    }

    [Fact]
    public void An_empty_group_has_zero_statistics() =>
        Assert.Equal(0, GroupStatistics.Of([], DistrictBands, RankingOptions.Default).Count);
}
