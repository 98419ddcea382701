using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ParPlatform.Criteria.Model;
using V1 = ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Criteria.Grpc;

/// <summary>Domain to wire: decimals as invariant strings ("" when unknown), dates as ISO strings, instants as Timestamps.</summary>
internal static class ProtoMapping
{
    public static V1.CriteriaSet ToProto(this CriteriaSet set)
    {
        var d = set.Definition;
        var proto = new V1.CriteriaSet
        {
            Id = set.Id.ToString(),
            Code = d.Code,
            Name = d.Name,
            Year = d.Year,
            Level = Level(d.Level),
            TenantId = set.TenantId,
            Status = set.Status switch
            {
                SetStatus.Draft => V1.SetStatus.Draft,
                SetStatus.Published => V1.SetStatus.Published,
                _ => V1.SetStatus.Retired,
            },
            Version = set.Version,
            MaxPoints = Text(d.MaxPoints),
            AppraisalPoints = Text(d.AppraisalPoints),
            SurveyPoints = Text(d.SurveyPoints),
            ScoreStep = Text(d.ScoreStep),
            BonusCap = Text(d.BonusCap),
            PenaltyCap = Text(d.PenaltyCap),
            ReferenceSkeleton = d.ReferenceSkeleton,
            Notes = d.Notes ?? "",
        };
        proto.Bands.AddRange(d.Bands.Select(band => new V1.ClassificationBand { Label = band.Label, MinPercent = Text(band.MinPercent) }));
        proto.Fields.AddRange(d.Fields.Select(ToProto));
        return proto;
    }

    private static V1.CriteriaNode ToProto(CriteriaNode node)
    {
        var proto = new V1.CriteriaNode
        {
            Code = node.Code,
            Name = node.Name,
            Kind = node.Depth switch { 1 => V1.NodeKind.Field, 2 => V1.NodeKind.Criterion, _ => V1.NodeKind.SubCriterion },
            MaxPoints = Text(node.MaxPoints),
            MinPoints = Text(node.MinPoints),
            Method = node.Method switch
            {
                ScoringMethod.Appraised => V1.ScoringMethod.Appraised,
                ScoringMethod.Survey => V1.ScoringMethod.Survey,
                _ => V1.ScoringMethod.Unspecified,
            },
            EvidenceRequired = node.EvidenceRequired,
            Guidance = node.Guidance ?? "",
            IsBonus = node.IsBonus,
            IsPenalty = node.IsPenalty,
        };
        if (node.Rule is { } rule)
        {
            proto.Rule = new V1.ScoringRule();
            proto.Rule.Options.AddRange((rule.Options ?? []).Select(o => new V1.GradedOption { Label = o.Label, Points = Text(o.Points) }));
            proto.Rule.Tiers.AddRange((rule.Tiers ?? []).Select(t => new V1.Tier { MinPercent = Text(t.MinPercent), Points = Text(t.Points) }));
        }
        proto.Children.AddRange(node.Items.Select(ToProto));
        return proto;
    }

    public static V1.Round ToProto(this Round round) => new()
    {
        Id = round.Id.ToString(),
        TenantId = round.TenantId,
        Year = round.Year,
        Name = round.Name,
        CriteriaSetId = round.CriteriaSetId.ToString(),
        RankingGroup = round.RankingGroup,
        SelfAssessmentOpensAt = Timestamp.FromDateTimeOffset(round.Windows.SelfAssessmentOpensAt),
        SelfAssessmentClosesAt = Timestamp.FromDateTimeOffset(round.Windows.SelfAssessmentClosesAt),
        AppraisalOpensAt = Timestamp.FromDateTimeOffset(round.Windows.AppraisalOpensAt),
        AppraisalClosesAt = Timestamp.FromDateTimeOffset(round.Windows.AppraisalClosesAt),
        SurveyOpensAt = Timestamp.FromDateTimeOffset(round.Windows.SurveyOpensAt),
        SurveyClosesAt = Timestamp.FromDateTimeOffset(round.Windows.SurveyClosesAt),
        PublicationAt = Timestamp.FromDateTimeOffset(round.Windows.PublicationAt),
        PreviousRoundId = round.PreviousRoundId?.ToString() ?? "",
        SurveyScoresVisibleToUnits = round.SurveyScoresVisibleToUnits,
        UnitsVersion = round.UnitsVersion,
    };

    public static V1.EvaluatedUnit ToProto(this EvaluatedUnit unit) => new()
    {
        Id = unit.Id.ToString(),
        TenantId = unit.TenantId,
        Code = unit.Code,
        Name = unit.Name,
        Type = Level(unit.Type),
        ParentId = unit.ParentId?.ToString() ?? "",
        ValidFrom = unit.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ValidTo = unit.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
    };

    public static Timestamp Midnight(DateOnly day) => Timestamp.FromDateTime(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    public static V1.EvaluatedLevel Level(EvaluatedLevel level) => level switch
    {
        EvaluatedLevel.Ministry => V1.EvaluatedLevel.Ministry,
        EvaluatedLevel.Province => V1.EvaluatedLevel.Province,
        EvaluatedLevel.Department => V1.EvaluatedLevel.Department,
        EvaluatedLevel.District => V1.EvaluatedLevel.District,
        _ => V1.EvaluatedLevel.Commune,
    };

    public static string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
