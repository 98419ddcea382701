using System.Globalization;
using System.Numerics;
using System.Text.Json;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Criteria;

namespace ParPlatform.Submission.Data;

/// <summary>The range and step of a score, the same for self scores and appraised scores.</summary>
public static class ScoreRules
{
    public static void EnsureValid(AssessmentItem item, decimal score, decimal? step)
    {
        if (item.Kind == ItemKind.Penalty && score > 0)
        {
            throw SubmissionProblems.ScoreOutOfRange.With($"Item {item.Code} is a penalty: enter the deduction as a negative number between {Format(item.MinPoints)} and 0 (got {Format(score)}).").ToException();
        }
        if (score > item.MaxPoints)
        {
            throw SubmissionProblems.ScoreOutOfRange.With($"Item {item.Code}: {Format(score)} is above its maximum {Format(item.MaxPoints)}.").ToException();
        }
        if (score < item.MinPoints)
        {
            throw SubmissionProblems.ScoreOutOfRange.With($"Item {item.Code}: {Format(score)} is below its minimum {Format(item.MinPoints)}.").ToException();
        }
        if (step is > 0 && score % step.Value != 0)
        {
            throw SubmissionProblems.ScoreStep.With($"Item {item.Code}: {Format(score)} is not a multiple of the set's step {Format(step.Value)}.").ToException();
        }
    }

    /// <summary>
    /// The set's caps over all bonus items (their sum at most the bonus cap) and all penalty items (their deductions
    /// at most the penalty cap, a magnitude), with <paramref name="score"/> in place of the item's current value.
    /// </summary>
    public static void EnsureWithinCap(Assessment assessment, IEnumerable<AssessmentItem> items, AssessmentItem item, decimal score,
        Func<AssessmentItem, decimal?> current)
    {
        if (item.Kind == ItemKind.Regular)
        {
            return;
        }
        var total = items.Where(other => other.Kind == item.Kind && other.Code != item.Code).Sum(other => Math.Abs(current(other) ?? 0m))
            + Math.Abs(score);
        if (item.Kind == ItemKind.Bonus && assessment.BonusCap is { } bonusCap && total > bonusCap)
        {
            throw SubmissionProblems.BonusCapExceeded.With($"Bonus items would add up to {Format(total)}, above the set's bonus cap {Format(bonusCap)}.").ToException();
        }
        if (item.Kind == ItemKind.Penalty && assessment.PenaltyCap is { } penaltyCap && total > penaltyCap)
        {
            throw SubmissionProblems.PenaltyCapExceeded.With($"Deductions would add up to {Format(total)}, above the set's penalty cap {Format(penaltyCap)}.").ToException();
        }
    }

    /// <summary>
    /// A score as sent in JSON, exactly: a number whose digits a decimal cannot hold (such as
    /// 0.2500000000000000000000000000001, which a plain decimal reads as 0.25) is refused rather than rounded.
    /// </summary>
    public static decimal Read(JsonElement value, string member)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw InvalidBody($"'{member}' must be a number.");
        }
        var raw = value.GetRawText();
        if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !IsExact(raw, score))
        {
            throw SubmissionProblems.ScorePrecision.With($"'{member}' is {raw}, which cannot be stored exactly; scores follow the set's step.").ToException();
        }
        return score;
    }

    public static ProblemException InvalidBody(string detail) => SubmissionProblems.InvalidBody.With(detail).ToException();

    // Both sides as unscaled integer and scale, trailing zeros removed: equal only if no digit was lost.
    private static bool IsExact(string raw, decimal parsed) =>
        Canonical(raw) == Canonical(parsed.ToString(CultureInfo.InvariantCulture));

    private static (BigInteger Unscaled, int Scale) Canonical(string number)
    {
        var exponent = 0;
        var e = number.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(number[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            number = number[..e];
        }
        var dot = number.IndexOf('.');
        var scale = dot < 0 ? 0 : number.Length - dot - 1;
        var unscaled = BigInteger.Parse(number.Replace(".", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        scale -= exponent;
        while (scale > 0 && unscaled % 10 == 0 && !unscaled.IsZero)
        {
            (unscaled, scale) = (unscaled / 10, scale - 1);
        }
        if (unscaled.IsZero)
        {
            return (0, 0);
        }
        while (scale < 0)
        {
            (unscaled, scale) = (unscaled * 10, scale + 1);
        }
        return (unscaled, scale);
    }

    public static string? Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
