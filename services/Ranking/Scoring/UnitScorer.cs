using ParPlatform.ServiceDefaults.Figures;
namespace ParPlatform.Ranking.Scoring;

/// <summary>
/// Scores one unit against a criteria set. Pure: no I/O, decimals throughout, nothing rounded.
/// A node listed as not applicable (or under one that is) scores nothing and leaves every maximum above it.
/// Bonus items add and penalty items deduct, each total within the set's cap; neither changes a maximum.
/// </summary>
public static class UnitScorer
{
    public static UnitResult Score(ScoringSet set, UnitInputs unit)
    {
        var nodes = new List<NodeResult>();
        foreach (var field in set.Fields)
        {
            Visit(field, null, 0, field.Kind, applicable: true, unit, nodes);
        }

        // One pass over the leaves (a full recompute runs this for thousands of units: no LINQ here).
        decimal appraisalPoints = 0, appraisalMax = 0, surveyPoints = 0, surveyMax = 0, bonusSum = 0, penaltySum = 0;
        foreach (var leaf in nodes)
        {
            if (!leaf.IsLeaf || !leaf.Applicable)
            {
                continue;
            }
            switch (leaf.Kind, leaf.Source)
            {
                case (ItemKind.Bonus, _): bonusSum += leaf.Points; break;
                case (ItemKind.Penalty, _): penaltySum += leaf.Points; break;
                case (_, ScoreSource.Survey): surveyPoints += leaf.Points; surveyMax += leaf.MaxPoints; break;
                default: appraisalPoints += leaf.Points; appraisalMax += leaf.MaxPoints; break;
            }
        }
        var appraisal = new Part(appraisalPoints, appraisalMax);
        var survey = new Part(surveyPoints, surveyMax);
        var bonus = Cap(bonusSum, set.BonusCap);
        var penalty = Cap(penaltySum, set.PenaltyCap);
        var total = appraisal.Points + survey.Points + bonus - penalty;
        var applicableMax = appraisal.MaxPoints + survey.MaxPoints;
        var percent = applicableMax == 0 ? 0 : total * 100 / applicableMax;

        return new UnitResult(unit.UnitId, unit.UnitName, nodes, appraisal, survey, bonus, penalty, total, applicableMax,
            Classify(set.Bands, percent));
    }

    /// <summary>The band whose inclusive lower bound the published (two-decimal) percentage reaches.</summary>
    public static string? Classify(IReadOnlyList<Band> bands, decimal percent) =>
        bands.OrderByDescending(band => band.MinPercent).FirstOrDefault(band => Figures.Round(percent) >= band.MinPercent)?.Label;

    private static NodeResult Visit(
        ScoringNode node, string? parent, int level, ItemKind kind, bool applicable, UnitInputs unit, List<NodeResult> nodes)
    {
        // Bonus / penalty is inherited: a whole "bonus" field makes every item under it a bonus item.
        kind = node.Kind != ItemKind.Regular ? node.Kind : kind;
        applicable = applicable && !unit.NotApplicableCodes.Contains(node.Code);
        var index = nodes.Count;
        nodes.Add(null!); // keep pre-order: the parent row comes before its children
        NodeResult result;
        if (node.IsLeaf)
        {
            var points = applicable ? LeafPoints(node, kind, unit) : 0;
            result = new NodeResult(node.Code, parent, level, node.Name, node.Source, kind, applicable, points,
                applicable && kind == ItemKind.Regular ? node.MaxPoints : 0) { IsLeaf = true };
        }
        else
        {
            decimal points = 0, max = 0;
            bool anyApplicable = false, allAdjustments = true, allPenalties = true;
            foreach (var child in node.Children)
            {
                var scored = Visit(child, node.Code, level + 1, kind, applicable, unit, nodes);
                if (scored.Applicable)
                {
                    (points, max, anyApplicable) = (points + scored.Points, max + scored.MaxPoints, true);
                }
                allAdjustments &= scored.Kind != ItemKind.Regular;
                allPenalties &= scored.Kind == ItemKind.Penalty;
            }
            // A group holding only bonus / penalty items (a "bonus and penalty" content) is one of them, not a field.
            var groupKind = allAdjustments ? allPenalties ? ItemKind.Penalty : ItemKind.Bonus : kind;
            result = new NodeResult(node.Code, parent, level, node.Name, node.Source, groupKind, applicable && anyApplicable, points, max);
        }
        nodes[index] = result;
        return result;
    }

    private static decimal LeafPoints(ScoringNode node, ItemKind kind, UnitInputs unit)
    {
        if (node.Source == ScoreSource.Survey && kind == ItemKind.Regular)
        {
            // The survey service measures on its own scale; bring it onto the sub-criterion's maximum.
            return unit.SurveyScores.TryGetValue(node.Code, out var survey) && survey.MaxPoints > 0
                ? Clamp(survey.Points * node.MaxPoints / survey.MaxPoints, node.MaxPoints)
                : 0;
        }
        // A penalty is recorded as a deduction (stored negative or positive alike); its limit is the node's maximum.
        // Appraised scores are validated by the submission service; clamping only guards the index against bad data.
        return unit.AppraisedScores.TryGetValue(node.Code, out var score)
            ? Clamp(kind == ItemKind.Penalty ? Math.Abs(score) : score, node.MaxPoints)
            : 0;
    }

    private static decimal Clamp(decimal value, decimal max) => Math.Clamp(value, 0, max);

    private static decimal Cap(decimal value, decimal? cap) => cap is { } limit ? Math.Min(value, limit) : value;
}
