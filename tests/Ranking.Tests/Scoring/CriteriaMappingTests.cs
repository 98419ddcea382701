using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Scoring;
using ParPlatform.Ranking.Tests.Service;

namespace ParPlatform.Ranking.Tests.Scoring;

public class CriteriaMappingTests
{
    [Fact]
    public void The_criteria_services_set_maps_to_the_scoring_model()
    {
        var proto = TestSets.District6535();
        proto.BonusCap = "3";
        var penalty = new CriteriaNode { Code = "9", Name = "Điểm trừ", Kind = NodeKind.Field, MaxPoints = "0", MinPoints = "-2.5", IsPenalty = true };
        proto.Fields.Add(penalty);

        var set = proto.ToScoringSet();

        Assert.Equal((100m, (decimal?)3m, (decimal?)null), (set.MaxPoints, set.BonusCap, set.PenaltyCap));
        Assert.Equal([("Tốt", 85m), ("Khá", 70m), ("Trung bình", 50m), ("Yếu", 0m)], set.Bands.Select(b => (b.Label, b.MinPercent)));
        var survey = set.Fields[1].Children[0].Children[0];
        Assert.Equal(("2.1.1", 35m, ScoreSource.Survey), (survey.Code, survey.MaxPoints, survey.Source));
        Assert.Equal((ItemKind.Penalty, 2.5m), (set.Fields[2].Kind, set.Fields[2].MaxPoints));
    }

    [Fact]
    public void Fields_and_criteria_take_their_items_scoring_method_and_a_mix_is_labelled_mixed()
    {
        var set = TestSets.DepthAndAdjustments().ToScoringSet();

        var survey = set.Fields[1];
        Assert.Equal((ScoreSource.Mixed, ScoreSource.Survey, ScoreSource.Survey, ScoreSource.Appraised),
            (survey.Source, survey.Children[0].Source, survey.Children[0].Children[0].Source, survey.Children[1].Source));
        Assert.Equal(ScoreSource.Appraised, set.Fields[0].Source);
        Assert.Equal(ScoreSource.Survey, TestSets.District6535().ToScoringSet().Fields[1].Source);
        Assert.Equal((2, (decimal?)0.25m), (set.PointDecimals, set.ScoreStep));
    }

    [Fact]
    public void A_reference_skeleton_is_never_scored()
    {
        var proto = TestSets.District6535();
        proto.ReferenceSkeleton = true;
        Assert.Throws<InvalidOperationException>(() => proto.ToScoringSet());
    }

    [Theory]
    [InlineData("rename", LineageEvent.Rename)]
    [InlineData("merge", LineageEvent.Merge)]
    [InlineData("split", LineageEvent.Split)]
    public void Lineage_events_map_by_name(string name, LineageEvent expected) =>
        Assert.Equal(expected, new LineageLink { UnitId = Guid.NewGuid().ToString(), Event = name }.ToPredecessor()!.Event);

    [Fact]
    public void A_unit_untouched_by_lineage_has_no_predecessor() =>
        Assert.Null(new LineageLink { UnitId = Guid.NewGuid().ToString(), Event = "" }.ToPredecessor());
}
