using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Apis;

/// <summary>
/// Point figures as they leave the service, over REST, gRPC, the Excel sheet and the audit log alike: rounded half away
/// from zero to the set's precision (<see cref="Assessment.PointDecimals"/>) and always with exactly that many decimals
/// (step 0.25: "2.25", "15.00", "-0.25"), by the one rule in <see cref="Figures"/>. Scores are stored as entered; only
/// what is shown is shaped, so a stored "2.250" and "2.25" are the same figure everywhere.
/// </summary>
internal static class AssessmentFigures
{
    public static AssessmentItem Shown(this AssessmentItem item, int decimals) => item with
    {
        MaxPoints = Figures.Shown(item.MaxPoints, decimals),
        MinPoints = Figures.Shown(item.MinPoints, decimals),
        SelfScore = Shown(item.SelfScore, decimals),
        AppraisedScore1 = Shown(item.AppraisedScore1, decimals),
        AppraisedScore2 = Shown(item.AppraisedScore2, decimals),
        Appraisals = item.Appraisals.Select(value => value with { Score = Figures.Shown(value.Score, decimals) }).ToList(),
    };

    public static decimal? Shown(decimal? value, int decimals) => value is { } figure ? Figures.Shown(figure, decimals) : null;

    /// <summary>"2.25" (invariant, as gRPC carries decimals), null for no value.</summary>
    public static string? Text(decimal? value, int decimals) => value is { } figure ? Figures.Text(figure, decimals) : null;
}
