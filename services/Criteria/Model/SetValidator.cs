using System.Text.RegularExpressions;

namespace ParPlatform.Criteria.Model;

/// <summary>
/// Checks a whole definition and reports every problem at once, keyed by the offending node's code ("1.2.3"),
/// "set" or "bands", so an official fixes the workbook in one pass instead of one error per upload.
/// </summary>
public static partial class SetValidator
{
    public const int MaxDepth = 3;

    [GeneratedRegex(@"^[1-9][0-9]*(\.[1-9][0-9]*)*$")]
    private static partial Regex CodePattern();

    public static Dictionary<string, string[]> Validate(CriteriaSetDefinition set)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(set.Code)) errors.Add("set", "Mã bộ tiêu chí (code) is required.");
        if (string.IsNullOrWhiteSpace(set.Name)) errors.Add("set", "Tên bộ tiêu chí (name) is required.");
        if (set.Year is < 2000 or > 2100) errors.Add("set", $"Year {set.Year} is out of range.");
        if (set.MaxPoints <= 0) errors.Add("set", "Maximum points must be positive.");
        if (set.AppraisalPoints + set.SurveyPoints != set.MaxPoints)
            errors.Add("set", $"Appraisal points {set.AppraisalPoints} + survey points {set.SurveyPoints} must equal maximum points {set.MaxPoints}.");
        if (set.ScoreStep is <= 0) errors.Add("set", "Score step must be positive when given.");
        if (set.BonusCap is < 0) errors.Add("set", "Bonus cap cannot be negative.");
        if (set.PenaltyCap is < 0) errors.Add("set", "Penalty cap is a magnitude and cannot be negative.");
        ValidateBands(set.Bands, errors);

        var all = Tree.Flatten(set.Fields).ToList();
        foreach (var duplicate in all.GroupBy(node => node.Code).Where(group => group.Count() > 1))
            errors.Add(duplicate.Key, $"Code '{duplicate.Key}' is used {duplicate.Count()} times.");
        foreach (var node in set.Fields) ValidateNode(node, null, set, errors);

        var counted = set.Fields.Where(field => !field.IsBonus && !field.IsPenalty).ToList();
        var fieldSum = Sum(counted);
        if (fieldSum is { } total && total != set.MaxPoints)
            errors.Add("set", $"Fields add up to {total}, not to the set's maximum {set.MaxPoints}.");
        var leaves = counted.SelectMany(field => Tree.Flatten([field])).Where(IsScored).ToList();
        if (leaves.All(leaf => leaf.MaxPoints is not null))
        {
            var survey = leaves.Where(leaf => leaf.Method == ScoringMethod.Survey).Sum(leaf => leaf.MaxPoints!.Value);
            var appraised = leaves.Where(leaf => leaf.Method == ScoringMethod.Appraised).Sum(leaf => leaf.MaxPoints!.Value);
            if (survey != set.SurveyPoints)
                errors.Add("set", $"Survey-scored items add up to {survey}, not to the set's survey points {set.SurveyPoints}.");
            if (appraised != set.AppraisalPoints)
                errors.Add("set", $"Appraised items add up to {appraised}, not to the set's appraisal points {set.AppraisalPoints}.");
        }
        if (all.Any(node => node.IsBonus) && set.BonusCap is null) errors.Add("set", "Bonus items need a bonus cap.");
        if (all.Any(node => node.IsPenalty) && set.PenaltyCap is null) errors.Add("set", "Penalty items need a penalty cap.");
        return errors.ToDictionary();
    }

    private static void ValidateNode(CriteriaNode node, CriteriaNode? parent, CriteriaSetDefinition set, Errors errors)
    {
        var code = node.Code;
        var key = string.IsNullOrEmpty(code) ? $"(unnamed under {parent?.Code ?? "set"})" : code;
        if (!CodePattern().IsMatch(code))
            errors.Add(key, $"Code '{code}' is not of the form 1, 1.2, 1.2.3.");
        else if (parent is null ? code.Contains('.') : Tree.ParentCode(code) != parent.Code)
            errors.Add(key, $"Code '{code}' does not sit under '{parent?.Code ?? "the set"}'.");
        if (node.Depth > MaxDepth) errors.Add(key, $"Nodes go at most {MaxDepth} levels deep (field, criterion, sub-criterion).");
        if (string.IsNullOrWhiteSpace(node.Name)) errors.Add(key, "Name is required.");
        if (parent is not null && (parent.IsBonus != node.IsBonus || parent.IsPenalty != node.IsPenalty))
            errors.Add(key, "Bonus and penalty flags must match the parent's.");
        if (node.IsBonus && node.IsPenalty) errors.Add(key, "An item is either a bonus or a penalty, not both.");

        if (node.MaxPoints is null && !set.ReferenceSkeleton)
            errors.Add(key, "Maximum points are required (only a reference skeleton may leave them unknown).");
        if (node.IsPenalty)
        {
            if (node.MaxPoints is not null and not 0) errors.Add(key, "A penalty item's maximum is 0.");
            if (node.MinPoints >= 0) errors.Add(key, "A penalty item needs a negative minimum (its deduction limit).");
        }
        else
        {
            if (node.MaxPoints is < 0) errors.Add(key, "Maximum points cannot be negative outside penalty items.");
            if (node.MinPoints != 0) errors.Add(key, "Only penalty items have a non-zero minimum.");
        }

        if (node.Items.Count == 0 && node.Depth == 1)
        {
            // Only a reference skeleton may leave a field's criteria unknown; scoring clients never score a field.
            if (!set.ReferenceSkeleton) errors.Add(key, "A field holds criteria: add at least one criterion (a criterion without sub-criteria is scored itself).");
            if (node.Method is not null) errors.Add(key, "A field carries no method; its criteria and sub-criteria are scored.");
            if (node.Rule is not null) errors.Add(key, "A field carries no scoring rule; its criteria and sub-criteria are scored.");
        }
        else if (IsScored(node))
        {
            if (node.Method is null && !set.ReferenceSkeleton) errors.Add(key, "A scored item needs a method (appraised or survey).");
            if (set.ScoreStep is { } step and > 0 && node.MaxPoints is { } max && max % step != 0)
                errors.Add(key, $"Maximum {max} is not a multiple of the score step {step}.");
            ValidateRule(node, key, set, errors);
        }
        else
        {
            if (node.Method is not null) errors.Add(key, "Only scored leaves carry a method; remove it from this parent.");
            if (node.Rule is not null) errors.Add(key, "Only scored leaves carry a scoring rule.");
            // Bonus and penalty groups are bounded by the set's caps, not by their children's sum.
            if (!node.IsBonus && !node.IsPenalty && node.MaxPoints is { } max && Sum(node.Items) is { } sum && sum != max)
                errors.Add(key, $"Children add up to {sum}, not to this item's maximum {max}.");
            foreach (var child in node.Items) ValidateNode(child, node, set, errors);
        }
    }

    private static void ValidateRule(CriteriaNode node, string key, CriteriaSetDefinition set, Errors errors)
    {
        if (node.Rule is not { } rule || node.MaxPoints is not { } max) return;
        var points = (rule.Options ?? []).Select(o => o.Points).Concat((rule.Tiers ?? []).Select(t => t.Points));
        foreach (var value in points.Where(value => value > max || value < node.MinPoints))
            errors.Add(key, $"Rule points {value} lie outside {node.MinPoints}..{max}.");
        if (set.ScoreStep is { } step and > 0)
            foreach (var value in points.Where(value => value % step != 0))
                errors.Add(key, $"Rule points {value} are not a multiple of the score step {step}.");
        var labels = (rule.Options ?? []).Select(o => o.Label).ToList();
        if (labels.Any(label => string.IsNullOrWhiteSpace(label) || label.IndexOfAny([';', '=']) >= 0))
            errors.Add(key, "Option labels must be non-empty and contain no ';' or '='.");
        if (labels.Distinct().Count() != labels.Count) errors.Add(key, "Option labels must be unique.");
        var tiers = rule.Tiers ?? [];
        for (var i = 1; i < tiers.Count; i++)
            if (tiers[i].MinPercent >= tiers[i - 1].MinPercent)
                errors.Add(key, $"Tier {i + 1} must start below tier {i} (tiers go from the highest percentage down).");
        if (tiers.Any(tier => tier.MinPercent is < 0 or > 100)) errors.Add(key, "Tier bounds lie within 0..100 percent.");
    }

    private static void ValidateBands(IReadOnlyList<ClassificationBand> bands, Errors errors)
    {
        if (bands.Count == 0) { errors.Add("bands", "At least one classification band is required."); return; }
        for (var i = 0; i < bands.Count; i++)
        {
            var band = bands[i];
            var key = $"bands[{i}]";
            if (string.IsNullOrWhiteSpace(band.Label)) errors.Add(key, "Band label is required.");
            if (band.MinPercent is < 0 or > 100) errors.Add(key, $"Lower bound {band.MinPercent}% lies outside 0..100.");
            if (i > 0 && band.MinPercent >= bands[i - 1].MinPercent)
                errors.Add(key, $"'{band.Label}' from {band.MinPercent}% overlaps '{bands[i - 1].Label}' from {bands[i - 1].MinPercent}%: list bands from the highest bound down.");
        }
        if (bands.Select(b => b.Label).Distinct().Count() != bands.Count) errors.Add("bands", "Band labels must be unique.");
        if (bands[^1].MinPercent != 0) errors.Add("bands", "The lowest band must start at 0% so every result gets a band.");
    }

    /// <summary>
    /// A scored item: a criterion or sub-criterion without children, at any depth ("1.1" as well as "1.2.3"); bonus and
    /// penalty leaves included. The rule every service's criteria client applies (shared contracts).
    /// </summary>
    public static bool IsScored(CriteriaNode node) => node.Items.Count == 0 && node.Depth > 1;

    /// <summary>Sum of the nodes' maxima, or null when one is unknown (reference skeleton).</summary>
    private static decimal? Sum(IEnumerable<CriteriaNode> nodes) =>
        nodes.Aggregate((decimal?)0m, (sum, node) => sum is { } s && node.MaxPoints is { } m ? s + m : null);

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byKey = [];

        public void Add(string key, string message)
        {
            if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = [];
            list.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _byKey.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }
}
