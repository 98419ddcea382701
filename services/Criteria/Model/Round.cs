namespace ParPlatform.Criteria.Model;

/// <summary>
/// A year's evaluation of one ranking group against one published set. Each window's close is the lock other
/// services enforce against the server clock.
/// </summary>
/// <param name="SurveyScoresVisibleToUnits">A unit's own officials may read their own unit's unpublished survey points.</param>
public sealed record Round(
    Guid Id,
    string TenantId,
    int Year,
    string Name,
    Guid CriteriaSetId,
    string RankingGroup,
    RoundWindows Windows,
    Guid? PreviousRoundId,
    bool SurveyScoresVisibleToUnits = false)
{
    /// <summary>Moves with every change of the round's units, their records and their not-applicable marks (migration
    /// V5's triggers); over gRPC only, for the services that keep the round's units between reads.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long UnitsVersion { get; init; }
}

public sealed record RoundWindows(
    DateTimeOffset SelfAssessmentOpensAt,
    DateTimeOffset SelfAssessmentClosesAt,
    DateTimeOffset AppraisalOpensAt,
    DateTimeOffset AppraisalClosesAt,
    DateTimeOffset SurveyOpensAt,
    DateTimeOffset SurveyClosesAt,
    DateTimeOffset PublicationAt)
{
    /// <summary>Rounds follow the Vietnamese calendar: a year starts at midnight in Hà Nội.</summary>
    public static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>The windows by name, as the audit trail records them.</summary>
    public IReadOnlyList<(string Name, DateTimeOffset Value)> Named =>
    [
        ("selfAssessmentOpensAt", SelfAssessmentOpensAt), ("selfAssessmentClosesAt", SelfAssessmentClosesAt),
        ("appraisalOpensAt", AppraisalOpensAt), ("appraisalClosesAt", AppraisalClosesAt),
        ("surveyOpensAt", SurveyOpensAt), ("surveyClosesAt", SurveyClosesAt), ("publicationAt", PublicationAt),
    ];

    /// <summary>
    /// Order: self-assessment opens &lt; closes &lt;= appraisal opens &lt; closes &lt;= publication; the survey opens
    /// &lt; closes &lt;= publication. Year: a round of year Y is worked from 1 January of Y to 31 December of Y+1
    /// (Vietnam time; the index of a year is often appraised and published the year after), so every instant lies in
    /// that span.
    /// </summary>
    public Dictionary<string, string[]> Validate(int year)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
            list.Add(message);
        }
        if (SelfAssessmentClosesAt <= SelfAssessmentOpensAt) Add("selfAssessment", "The self-assessment window must close after it opens.");
        if (AppraisalClosesAt <= AppraisalOpensAt) Add("appraisal", "The appraisal window must close after it opens.");
        if (SurveyClosesAt <= SurveyOpensAt) Add("survey", "The survey window must close after it opens.");
        if (AppraisalOpensAt < SelfAssessmentClosesAt) Add("appraisal", "Appraisal cannot open before self-assessment closes.");
        if (PublicationAt < AppraisalClosesAt) Add("publication", "Publication comes after the appraisal window closes.");
        if (PublicationAt < SurveyClosesAt) Add("publication", "Publication comes after the survey window closes.");

        var earliest = new DateTimeOffset(year, 1, 1, 0, 0, 0, Vietnam);
        var latest = earliest.AddYears(2);
        foreach (var (name, value) in Named.Where(window => window.Value < earliest || window.Value >= latest))
            Add(name, $"{value.ToOffset(Vietnam):dd/MM/yyyy HH:mm} lies outside the round's span for {year} (01/01/{year} to 31/12/{year + 1}).");
        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }

    /// <summary>The day (Vietnam time) on which every unit of the round must exist: the day self-assessment opens.</summary>
    public DateOnly UnitsMustExistOn => DateOnly.FromDateTime(SelfAssessmentOpensAt.ToOffset(Vietnam).DateTime);
}

public static class RankingGroups
{
    /// <summary>The ranking groups whose name says which level they rank; other names are free (test groups, pilots).</summary>
    private static readonly Dictionary<string, EvaluatedLevel> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ministries"] = EvaluatedLevel.Ministry,
        ["provinces"] = EvaluatedLevel.Province,
        ["departments"] = EvaluatedLevel.Department,
        ["districts"] = EvaluatedLevel.District,
        ["communes"] = EvaluatedLevel.Commune,
    };

    public static EvaluatedLevel? LevelOf(string rankingGroup) => Known.TryGetValue(rankingGroup.Trim(), out var level) ? level : null;
}
