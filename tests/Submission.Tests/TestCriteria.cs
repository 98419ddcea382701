using Google.Protobuf.WellKnownTypes;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Testing;

namespace ParPlatform.Submission.Tests;

/// <summary>
/// What the fake criteria service serves the submission tests: one fixed published set and one round, and a second
/// round on a set shaped like real ones, all with the same three units.
/// </summary>
public static class TestCriteria
{
    public const string Tenant = "tinh-a";
    public static readonly Guid RoundId = Guid.Parse("0190f000-0000-7000-8000-000000000001");
    public static readonly Guid SetId = Guid.Parse("0190f000-0000-7000-8000-000000000002");
    /// <summary>A second round of the same units on a set shaped like real ones (see <see cref="RealShapedSet"/>).</summary>
    public static readonly Guid RealShapedRoundId = Guid.Parse("0190f000-0000-7000-8000-000000000003");
    public static readonly Guid RealShapedSetId = Guid.Parse("0190f000-0000-7000-8000-000000000004");
    /// <summary>A third round of the same units on the small set's items scored in steps of 0.5 (points shown with 1 decimal).</summary>
    public static readonly Guid HalfStepRoundId = Guid.Parse("0190f000-0000-7000-8000-000000000005");
    public static readonly Guid HalfStepSetId = Guid.Parse("0190f000-0000-7000-8000-000000000006");
    public static readonly Guid Unit1 = Guid.Parse("0190f000-0000-7000-8000-0000000000a1");
    public static readonly Guid Unit2 = Guid.Parse("0190f000-0000-7000-8000-0000000000a2");
    public static readonly Guid Unit3 = Guid.Parse("0190f000-0000-7000-8000-0000000000a3");

    public static readonly DateTimeOffset SelfAssessmentOpens = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SelfAssessmentCloses = new(2026, 1, 20, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AppraisalCloses = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The appraised items of the set, in order: 1.1.3 is survey-scored and never self-assessed.</summary>
    public static readonly string[] AppraisedCodes = ["1.1.1", "1.1.2", "2.1.1", "2.1.2"];

    /// <summary>
    /// The scored items of the real-shaped set: a sub-criterion, a criterion without sub-criteria ("2.1"), bonus items
    /// (9.x, cap 1.5) and penalty items (10.x, each down to -1, cap 1.5); 1.2 is survey-scored.
    /// </summary>
    public static readonly string[] RealShapedCodes = ["1.1.1", "2.1", "9.1", "9.2", "10.1", "10.2"];

    public static Task<FakeCriteriaServer> StartAsync() => FakeCriteriaServer.StartAsync(data =>
    {
        foreach (var set in new[] { SmallSet(), RealShapedSet(), HalfStepSet() })
        {
            data.Sets[set.Id] = set;
        }
        foreach (var (roundId, setId) in new[] { (RoundId, SetId), (RealShapedRoundId, RealShapedSetId), (HalfStepRoundId, HalfStepSetId) })
        {
            data.Rounds[roundId.ToString()] = new Round
            {
                Id = roundId.ToString(), TenantId = Tenant, Year = 2025, Name = "Chỉ số CCHC 2025 - Sở, ban, ngành",
                CriteriaSetId = setId.ToString(), RankingGroup = "departments",
                SelfAssessmentOpensAt = Timestamp.FromDateTimeOffset(SelfAssessmentOpens),
                SelfAssessmentClosesAt = Timestamp.FromDateTimeOffset(SelfAssessmentCloses),
                AppraisalOpensAt = Timestamp.FromDateTimeOffset(SelfAssessmentCloses),
                AppraisalClosesAt = Timestamp.FromDateTimeOffset(AppraisalCloses),
            };
            data.Units[roundId.ToString()] = [Unit(Unit1, "Sở Tư pháp"), Unit(Unit2, "Sở Nội vụ"), Unit(Unit3, "Sở Tài chính")];
        }
    });

    private static CriteriaSet HalfStepSet()
    {
        var set = SmallSet();
        (set.Id, set.Code, set.ScoreStep) = (HalfStepSetId.ToString(), "SBN-2025-05", "0.5");
        return set;
    }

    /// <summary>Like the Quảng Ninh sets: criteria without sub-criteria, a bonus field and a penalty field.</summary>
    private static CriteriaSet RealShapedSet()
    {
        var set = new CriteriaSet
        {
            Id = RealShapedSetId.ToString(), Code = "SBN-THUC-TE", Name = "Bộ tiêu chí có điểm thưởng, điểm trừ", Year = 2025,
            Level = EvaluatedLevel.Department, TenantId = Tenant, Status = SetStatus.Published, Version = 1,
            MaxPoints = "6", AppraisalPoints = "4", SurveyPoints = "2", ScoreStep = "0.25", BonusCap = "1.5", PenaltyCap = "1.5",
        };
        set.Fields.Add(Node("1", "Công tác chỉ đạo, điều hành CCHC", NodeKind.Field, "3",
            Node("1.1", "Kế hoạch CCHC", NodeKind.Criterion, "1", Leaf("1.1.1", "Ban hành kế hoạch CCHC năm", "1", "0", evidence: true)),
            Criterion("1.2", "Đánh giá của người dân", "2", "0", evidence: false, ScoringMethod.Survey)));
        set.Fields.Add(Node("2", "Cải cách thủ tục hành chính", NodeKind.Field, "3",
            Criterion("2.1", "Giải quyết thủ tục hành chính đúng hạn", "3", "0", evidence: true)));
        var bonus = Node("9", "Điểm thưởng", NodeKind.Field, "2",
            Criterion("9.1", "Được khen thưởng về CCHC", "1", "0", evidence: true),
            Criterion("9.2", "Sáng kiến CCHC được nhân rộng", "1", "0", evidence: true));
        var penalty = Node("10", "Điểm trừ", NodeKind.Field, "0",
            Criterion("10.1", "Sai phạm trong giải quyết TTHC", "0", "-1", evidence: false),
            Criterion("10.2", "Chậm gửi báo cáo", "0", "-1", evidence: false));
        foreach (var node in new[] { bonus }.Concat(bonus.Children))
        {
            node.IsBonus = true;
        }
        penalty.MinPoints = "-2";
        foreach (var node in new[] { penalty }.Concat(penalty.Children))
        {
            node.IsPenalty = true;
        }
        set.Fields.Add(bonus);
        set.Fields.Add(penalty);
        return set;
    }

    private static CriteriaSet SmallSet()
    {
        var set = new CriteriaSet
        {
            Id = SetId.ToString(), Code = "SBN-2025", Name = "Bộ tiêu chí Sở, ban, ngành (minh hoạ)", Year = 2025,
            Level = EvaluatedLevel.Department, TenantId = Tenant, Status = SetStatus.Published, Version = 1,
            MaxPoints = "8", AppraisalPoints = "6", SurveyPoints = "2", ScoreStep = "0.25",
        };
        set.Fields.Add(Node("1", "Công tác chỉ đạo, điều hành CCHC", NodeKind.Field, "5",
            Node("1.1", "Kế hoạch CCHC", NodeKind.Criterion, "5",
                Leaf("1.1.1", "Ban hành kế hoạch CCHC năm", "1", "0", evidence: true),
                Leaf("1.1.2", "Mức độ hoàn thành kế hoạch", "2", "0", evidence: false),
                Leaf("1.1.3", "Đánh giá của người dân", "2", "0", evidence: false, ScoringMethod.Survey))));
        set.Fields.Add(Node("2", "Cải cách thủ tục hành chính", NodeKind.Field, "3",
            Node("2.1", "Giải quyết thủ tục hành chính", NodeKind.Criterion, "3",
                Leaf("2.1.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "3", "0", evidence: true),
                Leaf("2.1.2", "Điểm trừ: hồ sơ trễ hạn không xin lỗi", "0", "-1", evidence: false))));
        return set;
    }

    // A scored criterion without sub-criteria (depth 2).
    private static CriteriaNode Criterion(string code, string name, string max, string min, bool evidence, ScoringMethod method = ScoringMethod.Appraised)
    {
        var node = Leaf(code, name, max, min, evidence, method);
        node.Kind = NodeKind.Criterion;
        return node;
    }

    private static EvaluatedUnit Unit(Guid id, string name) =>
        new() { Id = id.ToString(), TenantId = Tenant, Code = name, Name = name, Type = EvaluatedLevel.Department };

    private static CriteriaNode Node(string code, string name, NodeKind kind, string max, params CriteriaNode[] children)
    {
        var node = new CriteriaNode { Code = code, Name = name, Kind = kind, MaxPoints = max, MinPoints = "0" };
        node.Children.AddRange(children);
        return node;
    }

    private static CriteriaNode Leaf(string code, string name, string max, string min, bool evidence, ScoringMethod method = ScoringMethod.Appraised) =>
        new()
        {
            Code = code, Name = name, Kind = NodeKind.SubCriterion, MaxPoints = max, MinPoints = min, Method = method,
            EvidenceRequired = evidence, IsPenalty = min.StartsWith('-'),
        };
}
