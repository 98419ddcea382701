namespace ParPlatform.Criteria.Model;

/// <summary>
/// A year's evaluation of one ranking group against one published set. Each window's close is the lock other
/// services enforce against the server clock.
/// </summary>
public sealed record Round(
    Guid Id,
    string TenantId,
    int Year,
    string Name,
    Guid CriteriaSetId,
    string RankingGroup,
    RoundWindows Windows,
    Guid? PreviousRoundId);

public sealed record RoundWindows(
    DateTimeOffset SelfAssessmentOpensAt,
    DateTimeOffset SelfAssessmentClosesAt,
    DateTimeOffset AppraisalOpensAt,
    DateTimeOffset AppraisalClosesAt,
    DateTimeOffset SurveyOpensAt,
    DateTimeOffset SurveyClosesAt,
    DateTimeOffset PublicationAt)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "selfAssessment", SelfAssessmentOpensAt, SelfAssessmentClosesAt);
        Check(errors, "appraisal", AppraisalOpensAt, AppraisalClosesAt);
        Check(errors, "survey", SurveyOpensAt, SurveyClosesAt);
        if (AppraisalOpensAt < SelfAssessmentOpensAt)
            errors["appraisal"] = [.. errors.GetValueOrDefault("appraisal") ?? [], "Appraisal cannot open before self-assessment opens."];
        if (PublicationAt < AppraisalClosesAt || PublicationAt < SurveyClosesAt)
            errors["publication"] = ["Publication comes after the appraisal and survey windows close."];
        return errors;
    }

    private static void Check(Dictionary<string, string[]> errors, string window, DateTimeOffset opens, DateTimeOffset closes)
    {
        if (closes <= opens) errors[window] = [$"The {window} window must close after it opens."];
    }
}
