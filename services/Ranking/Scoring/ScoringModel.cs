namespace ParPlatform.Ranking.Scoring;

// The computation's own input model, mapped from the criteria service's CriteriaSet / CriteriaNode (see
// Criteria/CriteriaMapping.cs) so the arithmetic depends on nothing but these records.

public enum ScoreSource { Appraised, Survey }

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
        new(code, name, children.Sum(child => child.Kind == ItemKind.Regular ? child.MaxPoints : 0), ScoreSource.Appraised, ItemKind.Regular, children);
}

/// <summary>A classification band: the label applies from <paramref name="MinPercent"/> (inclusive) up to the next band.</summary>
public sealed record Band(string Label, decimal MinPercent);

/// <summary>A criteria set as the computation needs it. Fields are the top-level nodes.</summary>
public sealed record ScoringSet(
    Guid Id, decimal MaxPoints, decimal? BonusCap, decimal? PenaltyCap, IReadOnlyList<Band> Bands, IReadOnlyList<ScoringNode> Fields);

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
