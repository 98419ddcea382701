using Google.Protobuf.WellKnownTypes;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Testing;

namespace ParPlatform.Survey.Tests;

/// <summary>
/// What the fake criteria service serves the survey tests: one published set and rounds of the test tenant: the open
/// round's survey window contains the fixture's clock, the closed round's window is over.
/// </summary>
public static class TestCriteria
{
    public const string Tenant = "prov-ha-noi";
    public static readonly Guid SetId = Guid.Parse("5e7a0000-0000-4000-8000-000000000001");
    public static readonly Guid OpenRound = Guid.Parse("5e7a0000-0000-4000-8000-0000000000a1");
    public static readonly Guid ClosedRound = Guid.Parse("5e7a0000-0000-4000-8000-0000000000a2");

    /// <summary>Like the open round, but it lets a unit's own officials read their unit's unpublished points.</summary>
    public static readonly Guid UnitVisibleRound = Guid.Parse("5e7a0000-0000-4000-8000-0000000000a3");
    public static readonly Guid[] Units = Enumerable.Range(1, 6).Select(i => Guid.Parse($"5e7a0000-0000-4000-8000-0000000001{i:00}")).ToArray();
    /// <summary>Units of the open round that only the integrity tests answer for (the others share <see cref="Units"/>).</summary>
    public static readonly Guid[] OwnUnits = Enumerable.Range(1, 4).Select(i => Guid.Parse($"5e7a0000-0000-4000-8000-0000000002{i:00}")).ToArray();
    public static readonly DateTimeOffset SurveyOpens = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SurveyCloses = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static Task<FakeCriteriaServer> StartAsync() => FakeCriteriaServer.StartAsync(data =>
    {
        data.Sets[SetId.ToString()] = Set();
        foreach (var roundId in new[] { OpenRound, ClosedRound, UnitVisibleRound })
        {
            var round = new Round { Id = roundId.ToString(), TenantId = Tenant, Year = 2026, Name = "Chỉ số CCHC 2026", CriteriaSetId = SetId.ToString() };
            if (roundId == ClosedRound)
            {
                (round.SurveyOpensAt, round.SurveyClosesAt) = (Timestamp.FromDateTimeOffset(SurveyOpens.AddMonths(-2)), Timestamp.FromDateTimeOffset(SurveyOpens.AddMonths(-1)));
            }
            else
            {
                (round.SurveyOpensAt, round.SurveyClosesAt) = (Timestamp.FromDateTimeOffset(SurveyOpens), Timestamp.FromDateTimeOffset(SurveyCloses));
                round.SurveyScoresVisibleToUnits = roundId == UnitVisibleRound;
            }
            data.Rounds[round.Id] = round;
            data.Units[round.Id] = Units.Concat(OwnUnits)
                .Select((id, i) => new EvaluatedUnit { Id = id.ToString(), TenantId = Tenant, Code = $"U{i + 1}", Name = $"Xã {i + 1}" }).ToList();
        }
    });

    private static CriteriaSet Set()
    {
        var criterion = new CriteriaNode { Code = "8.1", Name = "Sự hài lòng", Kind = NodeKind.Criterion, MaxPoints = "6.5" };
        criterion.Children.Add(new CriteriaNode { Code = "8.1.1", Name = "Công khai thủ tục", Kind = NodeKind.SubCriterion, MaxPoints = "2.5", Method = ScoringMethod.Survey });
        criterion.Children.Add(new CriteriaNode { Code = "8.1.2", Name = "Thái độ công chức", Kind = NodeKind.SubCriterion, MaxPoints = "3", Method = ScoringMethod.Survey });
        criterion.Children.Add(new CriteriaNode { Code = "8.1.3", Name = "Báo cáo", Kind = NodeKind.SubCriterion, MaxPoints = "1", Method = ScoringMethod.Appraised });
        var field = new CriteriaNode { Code = "8", Name = "Tác động của cải cách hành chính", Kind = NodeKind.Field, MaxPoints = "9" };
        field.Children.Add(criterion);
        // Scored leaves at depth 2, as real sets have them: criteria without sub-criteria.
        field.Children.Add(new CriteriaNode { Code = "8.2", Name = "Hài lòng chung", Kind = NodeKind.Criterion, MaxPoints = "2", Method = ScoringMethod.Survey });
        field.Children.Add(new CriteriaNode { Code = "8.3", Name = "Báo cáo chung", Kind = NodeKind.Criterion, MaxPoints = "0.5", Method = ScoringMethod.Appraised });
        var set = new CriteriaSet { Id = SetId.ToString(), Code = "876-2026", Name = "Bộ tiêu chí thử", Year = 2026, TenantId = Tenant, Status = SetStatus.Published, Version = 1 };
        set.Fields.Add(field);
        return set;
    }
}
