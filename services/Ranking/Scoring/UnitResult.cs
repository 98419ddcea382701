using System.Text.Json.Serialization;
using ParPlatform.ServiceDefaults.Figures;

namespace ParPlatform.Ranking.Scoring;

/// <summary>Points against a maximum; the percentage is kept unrounded (see <see cref="Figures"/>).</summary>
public sealed record Part(decimal Points, decimal MaxPoints)
{
    public decimal Percent => MaxPoints == 0 ? 0 : Points * 100 / MaxPoints;
}

/// <summary>One node of the tree as scored for a unit. Level 0 is a field, 1 a criterion, 2 a sub-criterion.</summary>
public sealed record NodeResult(
    string Code, string? ParentCode, int Level, string Name, ScoreSource Source, ItemKind Kind, bool Applicable,
    decimal Points, decimal MaxPoints)
{
    public bool IsLeaf { get; init; }
    public decimal Percent => MaxPoints == 0 ? 0 : Points * 100 / MaxPoints;
}

/// <summary>A unit's scorecard. <see cref="ApplicableMaxPoints"/> is the denominator of its index, never a fixed 100.</summary>
public sealed record UnitResult(
    Guid UnitId, string UnitName, IReadOnlyList<NodeResult> Nodes, Part Appraisal, Part Survey,
    decimal BonusPoints, decimal PenaltyPoints, decimal TotalPoints, decimal ApplicableMaxPoints, string? Band)
{
    public decimal IndexPercent => ApplicableMaxPoints == 0 ? 0 : TotalPoints * 100 / ApplicableMaxPoints;

    /// <summary>The result without criteria and sub-criteria: all a group table needs, a fraction of the size.</summary>
    public UnitResult Summary() => this with { Nodes = Nodes.Where(node => node.Level == 0).ToList() };

    [JsonIgnore]
    public IEnumerable<NodeResult> Fields => Nodes.Where(node => node.Level == 0 && node.Kind == ItemKind.Regular);
}
