using System.Globalization;

namespace ParPlatform.Submission.Data;

/// <summary>The range and step of a score, the same for self scores and appraised scores.</summary>
public static class ScoreRules
{
    public static void EnsureValid(AssessmentItem item, decimal score, decimal? step)
    {
        if (score > item.MaxPoints)
        {
            throw new ProblemException(422, "score-out-of-range", "Điểm vượt quá điểm tối đa",
                $"Item {item.Code}: {Format(score)} is above its maximum {Format(item.MaxPoints)}.");
        }
        if (score < item.MinPoints)
        {
            throw new ProblemException(422, "score-out-of-range", "Điểm thấp hơn mức tối thiểu",
                $"Item {item.Code}: {Format(score)} is below its minimum {Format(item.MinPoints)}.");
        }
        if (step is > 0 && score % step.Value != 0)
        {
            throw new ProblemException(422, "score-step", "Điểm không đúng bước chấm",
                $"Item {item.Code}: {Format(score)} is not a multiple of the set's step {Format(step.Value)}.");
        }
    }

    public static string? Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
