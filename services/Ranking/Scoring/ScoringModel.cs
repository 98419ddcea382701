using ParPlatform.ServiceDefaults.Figures;
namespace ParPlatform.Ranking.Scoring;

// The computation's own input model, mapped from the criteria service's CriteriaSet / CriteriaNode (see
// Criteria/CriteriaMapping.cs) so the arithmetic depends on nothing but these records.

/// <summary>How a node's points are measured: by its leaves' scoring method; Mixed for a group holding both kinds.</summary>
public enum ScoreSource { Appraised, Survey, Mixed }

/// <summary>Regular items count towards the maxima; bonus and penalty items add or deduct within the set's caps.</summary>
public enum ItemKind { Regular, Bonus, Penalty }

/// <summary>A field, criterion or sub-criterion; sub-criteria are the leaves that carry scores.</summary>
public sealed record ScoringNode(
    string Code, string Name, decimal MaxPoints, ScoreSource Source, ItemKind Kind, IReadOnlyList<ScoringNode> Children)
{
    public bool IsLeaf => Children.Count == 0;

    public static ScoringNode Leaf(string code, string name, decimal maxPoints, ScoreSource source = ScoreSource.Appraised, ItemKind kind = ItemKind.Regular) =>
        new(code, name, maxPoints, source, kind, []);

    public static ScoringNode Group(string code, string name, params ScoringNode[] children) =>
        new(code, name, children.Sum(child => child.Kind == ItemKind.Regular ? child.MaxPoints : 0), SourceOf(children), ItemKind.Regular, children);

    /// <summary>A group's source: its children's when they agree, Mixed when survey and appraised items sit under it.</summary>
    public static ScoreSource SourceOf(IReadOnlyCollection<ScoringNode> children) =>
        children.Select(child => child.Source).Distinct().ToList() is [var only] ? only : ScoreSource.Mixed;
}

/// <summary>A classification band: the label applies from <paramref name="MinPercent"/> (inclusive) up to the next band.</summary>
public sealed record Band(string Label, decimal MinPercent);

/// <summary>A criteria set as the computation needs it. Fields are the top-level nodes.</summary>
/// <param name="ScoreStep">The step scores take ("0.25"), null when any value is allowed.</param>
public sealed record ScoringSet(
    Guid Id, decimal MaxPoints, decimal? BonusCap, decimal? PenaltyCap, IReadOnlyList<Band> Bands, IReadOnlyList<ScoringNode> Fields,
    decimal? ScoreStep = null)
{
    /// <summary>Decimals points are shown with: the score step's ("0.25" → 2, "0.5" → 1, "1" → 0), or 2 without a step.</summary>
    public int PointDecimals => Figures.DecimalsOf(ScoreStep);

    /// <summary>Whether any regular leaf is measured by the survey (a unit without survey points is then incomplete).</summary>
    public bool HasSurveyItems => Fields.Any(HasSurveyLeaf);

    private static bool HasSurveyLeaf(ScoringNode node) =>
        node.IsLeaf ? node.Source == ScoreSource.Survey && node.Kind == ItemKind.Regular : node.Children.Any(HasSurveyLeaf);
}

/// <summary>Everything known about one unit in a round.</summary>
/// <param name="AppraisedScores">Appraised points by sub-criterion code (AppraisalFinalized).</param>
/// <param name="SurveyScores">Survey points by sub-criterion code (SurveyScoresUpdated).</param>
/// <param name="NotApplicableCodes">Codes of fields, criteria or sub-criteria that do not apply to the unit.</param>
public sealed record UnitInputs(
    Guid UnitId, string UnitName,
    IReadOnlyDictionary<string, decimal> AppraisedScores,
    IReadOnlyDictionary<string, SurveyPoints> SurveyScores,
    IReadOnlySet<string> NotApplicableCodes);

/// <summary>Survey points as the survey service measured them, on its own scale (<paramref name="MaxPoints"/>).</summary>
public sealed record SurveyPoints(decimal Points, decimal MaxPoints);
