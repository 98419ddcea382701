using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Criteria;
using Proto = ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Ranking.Criteria;

/// <summary>From the criteria service's messages (decimals as invariant strings) to the computation's model.</summary>
internal static class CriteriaMapping
{
    public static ScoringSet ToScoringSet(this CriteriaSet set)
    {
        if (set.ReferenceSkeleton)
        {
            throw new InvalidOperationException($"Criteria set {set.Id} is a reference skeleton (unknown maxima): it is never scored.");
        }
        return new ScoringSet(
            Guid.Parse(set.Id),
            Decimal(set.MaxPoints) ?? 0,
            Decimal(set.BonusCap),
            Decimal(set.PenaltyCap),
            set.Bands.Select(band => new Band(band.Label, Decimal(band.MinPercent) ?? 0)).ToList(),
            set.Fields.Select(field => ToNode(field, ItemKind.Regular)).ToList(),
            Decimal(set.ScoreStep));
    }

    public static RoundHeader ToHeader(this Round round) => new(
        Guid.Parse(round.Id), round.TenantId, round.Year, round.Name, Guid.Parse(round.CriteriaSetId), round.RankingGroup,
        Guid.TryParse(round.PreviousRoundId, out var previous) ? previous : null,
        round.PublicationAt?.ToDateTimeOffset());

    public static Predecessor? ToPredecessor(this LineageLink link) =>
        link.Event.ToLowerInvariant() switch
        {
            "rename" => new Predecessor(Guid.Parse(link.UnitId), LineageEvent.Rename),
            "merge" => new Predecessor(Guid.Parse(link.UnitId), LineageEvent.Merge),
            "split" => new Predecessor(Guid.Parse(link.UnitId), LineageEvent.Split),
            _ => null, // the unit itself, untouched by any event
        };

    /// <param name="inherited">The bonus / penalty flag of an ancestor: an item under a "điểm trừ" field is a penalty item
    /// whose limit is its own minimum, even when the flag is set only on the field.</param>
    private static ScoringNode ToNode(CriteriaNode node, ItemKind inherited)
    {
        var kind = node.IsBonus ? ItemKind.Bonus : node.IsPenalty ? ItemKind.Penalty : inherited;
        // A penalty item's limit is its (negative) minimum; its maximum is usually 0.
        var max = kind == ItemKind.Penalty
            ? Math.Max(Math.Abs(Decimal(node.MinPoints) ?? 0), Math.Abs(Decimal(node.MaxPoints) ?? 0))
            : Decimal(node.MaxPoints) ?? 0;
        var children = node.Children.Select(child => ToNode(child, kind)).ToList();
        // A leaf is measured as its method says; a field or criterion (no method of its own) as its leaves are.
        var source = children.Count > 0 ? ScoringNode.SourceOf(children)
            : node.Method == ScoringMethod.Survey ? ScoreSource.Survey : ScoreSource.Appraised;
        return new ScoringNode(node.Code, node.Name, max, source, kind, children);
    }

    private static decimal? Decimal(string value) => CriteriaClient.ParseDecimal(value);
}
