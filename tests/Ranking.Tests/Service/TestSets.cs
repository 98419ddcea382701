using ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Ranking.Tests.Service;

/// <summary>Criteria sets as the criteria service sends them (decimals as invariant strings).</summary>
public static class TestSets
{
    /// <summary>65 appraisal points (1.1.1 of 40, 1.1.2 of 25) and 35 survey points (2.1.1).</summary>
    public static CriteriaSet District6535()
    {
        var set = new CriteriaSet
        {
            Id = Guid.NewGuid().ToString(), Code = "HUYEN-2021", Name = "Bộ tiêu chí cấp huyện", Year = 2021,
            Level = EvaluatedLevel.District, TenantId = RankingServiceFixture.Tenant, Status = SetStatus.Published, Version = 1,
            MaxPoints = "100", AppraisalPoints = "65", SurveyPoints = "35", BonusCap = "", PenaltyCap = "",
        };
        set.Bands.Add(new ClassificationBand { Label = "Tốt", MinPercent = "85" });
        set.Bands.Add(new ClassificationBand { Label = "Khá", MinPercent = "70" });
        set.Bands.Add(new ClassificationBand { Label = "Trung bình", MinPercent = "50" });
        set.Bands.Add(new ClassificationBand { Label = "Yếu", MinPercent = "0" });
        set.Fields.Add(Node("1", "Công tác chỉ đạo, điều hành CCHC", NodeKind.Field, "65", ScoringMethod.Unspecified,
            Node("1.1", "Kế hoạch và kiểm tra CCHC", NodeKind.Criterion, "65", ScoringMethod.Unspecified,
                Node("1.1.1", "Ban hành và thực hiện kế hoạch CCHC", NodeKind.SubCriterion, "40", ScoringMethod.Appraised),
                Node("1.1.2", "Kiểm tra công tác CCHC", NodeKind.SubCriterion, "25", ScoringMethod.Appraised))));
        set.Fields.Add(Node("2", "Tác động của CCHC", NodeKind.Field, "35", ScoringMethod.Unspecified,
            Node("2.1", "Sự hài lòng của người dân", NodeKind.Criterion, "35", ScoringMethod.Unspecified,
                Node("2.1.1", "Mức độ hài lòng", NodeKind.SubCriterion, "35", ScoringMethod.Survey))));
        return set;
    }

    /// <summary>
    /// Scored items at any depth and bonus / penalty items: criterion 1.1 is itself scored (no sub-criteria, 30), 1.2.1 (35);
    /// field 2 mixes a survey criterion (2.1 → 2.1.1, 30) and an appraised criterion scored itself (2.2, 5); bonus 9.1
    /// (up to 3, set cap 2) and penalty 10.1 (up to 5 deducted, set cap 3). Score step 0.25.
    /// </summary>
    public static CriteriaSet DepthAndAdjustments()
    {
        var set = District6535();
        set.Code = "HUYEN-SAU";
        set.BonusCap = "2";
        set.PenaltyCap = "3";
        set.ScoreStep = "0.25";
        set.Fields.Clear();
        set.Fields.Add(Node("1", "Công tác chỉ đạo, điều hành CCHC", NodeKind.Field, "65", ScoringMethod.Unspecified,
            Node("1.1", "Kế hoạch CCHC", NodeKind.Criterion, "30", ScoringMethod.Appraised),
            Node("1.2", "Kiểm tra CCHC", NodeKind.Criterion, "35", ScoringMethod.Unspecified,
                Node("1.2.1", "Tỷ lệ kiểm tra", NodeKind.SubCriterion, "35", ScoringMethod.Appraised))));
        set.Fields.Add(Node("2", "Tác động của CCHC", NodeKind.Field, "35", ScoringMethod.Unspecified,
            Node("2.1", "Sự hài lòng của người dân", NodeKind.Criterion, "30", ScoringMethod.Unspecified,
                Node("2.1.1", "Mức độ hài lòng", NodeKind.SubCriterion, "30", ScoringMethod.Survey)),
            Node("2.2", "Tiếp nhận phản ánh, kiến nghị", NodeKind.Criterion, "5", ScoringMethod.Appraised)));
        var bonus = Node("9", "Điểm thưởng", NodeKind.Field, "3", ScoringMethod.Unspecified,
            Node("9.1", "Sáng kiến CCHC", NodeKind.Criterion, "3", ScoringMethod.Appraised));
        bonus.IsBonus = true;
        var penalty = Node("10", "Điểm trừ", NodeKind.Field, "0", ScoringMethod.Unspecified,
            Node("10.1", "Vi phạm kỷ luật hành chính", NodeKind.Criterion, "0", ScoringMethod.Appraised));
        penalty.IsPenalty = true;
        penalty.Children[0].MinPoints = "-5";
        set.Fields.Add(bonus);
        set.Fields.Add(penalty);
        return set;
    }

    public static CriteriaNode Node(string code, string name, NodeKind kind, string max, ScoringMethod method, params CriteriaNode[] children)
    {
        var node = new CriteriaNode { Code = code, Name = name, Kind = kind, MaxPoints = max, MinPoints = "0", Method = method };
        node.Children.AddRange(children);
        return node;
    }
}
