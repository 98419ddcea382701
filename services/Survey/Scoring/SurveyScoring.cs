using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Scoring;

/// <summary>Running sums of one unit, questionnaire (= respondent group) and sub-criterion.</summary>
public sealed record AggregateRow(
    Guid RoundId, Guid UnitId, Guid QuestionnaireId, string SubCriterionCode, long Responses, long Answers, decimal ScoreSum);

public sealed record GroupScore(
    string RespondentGroup, Guid QuestionnaireId, decimal Weight, long Responses, long Answers, decimal MeanScore, bool BelowMinimumSample);

public sealed record SubCriterionScore(
    string SubCriterionCode, decimal MaxPoints, decimal Points, decimal MeanScore, long SampleSize, bool BelowMinimumSample,
    IReadOnlyList<GroupScore> Groups);

/// <summary>
/// The survey scoring formula (README, "Scoring"): per group g the mean normalised score m_g = score_sum / answers;
/// across groups S = Σ w_g·m_g / Σ w_g over the groups with answers; points = max points × S, rounded half away from
/// zero to 4 decimals. Flagged when any contributing group has fewer responses than its questionnaire's minimum.
/// </summary>
public static class SurveyScoring
{
    public const int PointsDecimals = 4;

    /// <summary>
    /// A normalised answer score is defined to 12 decimals, so sums of scores are exact in the aggregates'
    /// <c>numeric(28,12)</c> (V3 migration; README, "Scoring"): 7/9 is 0.777777777778, not a 28-digit fraction whose
    /// sums outgrow a decimal.
    /// </summary>
    public const int ScoreDecimals = 12;

    public static decimal NormalisedScore(decimal numerator, decimal denominator) =>
        Math.Round(numerator / denominator, ScoreDecimals, MidpointRounding.AwayFromZero);

    public static IReadOnlyList<SubCriterionScore> Compute(
        IEnumerable<AggregateRow> rows, IReadOnlyDictionary<Guid, Questionnaire> questionnaires) =>
        rows.Where(row => row.Answers > 0)
            .GroupBy(row => row.SubCriterionCode)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => Score(group.Key, group.ToList(), questionnaires))
            .ToList();

    private static SubCriterionScore Score(string code, List<AggregateRow> rows, IReadOnlyDictionary<Guid, Questionnaire> questionnaires)
    {
        var groups = rows.Select(row =>
        {
            var definition = questionnaires[row.QuestionnaireId].Definition;
            return new GroupScore(
                definition.RespondentGroup, row.QuestionnaireId, definition.GroupWeight, row.Responses, row.Answers,
                row.ScoreSum / row.Answers, row.Responses < definition.MinimumSample);
        }).OrderBy(group => group.RespondentGroup, StringComparer.Ordinal).ToList();

        var mean = groups.Sum(group => group.Weight * group.MeanScore) / groups.Sum(group => group.Weight);
        var maxPoints = questionnaires[rows[0].QuestionnaireId].MaxPoints.GetValueOrDefault(code);
        return new SubCriterionScore(
            code, maxPoints, Math.Round(maxPoints * mean, PointsDecimals, MidpointRounding.AwayFromZero), mean,
            groups.Sum(group => group.Responses), groups.Any(group => group.BelowMinimumSample), groups);
    }
}
