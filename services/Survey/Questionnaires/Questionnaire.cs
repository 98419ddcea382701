namespace ParPlatform.Survey.Questionnaires;

/// <summary>Who answers a questionnaire; a unit's survey points weigh the groups (see README, "Scoring").</summary>
public static class RespondentGroups
{
    public const string Leaders = "leaders";               // leaders and managers
    public const string CivilServants = "civil-servants";  // cán bộ, công chức
    public const string Citizens = "citizens";             // citizens and organisations (SIPAS)

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Leaders, CivilServants, Citizens };
}

/// <summary>What an operator writes; frozen with the criteria set's maximum points when published.</summary>
/// <param name="GroupWeight">Weight of this group in the unit's sub-criterion score (default 1: groups count equally).</param>
/// <param name="MinimumSample">Responses per unit below which the unit's figures are flagged.</param>
public sealed record QuestionnaireDefinition(
    Guid RoundId,
    string RespondentGroup,
    string Title,
    IReadOnlyList<Question> Questions,
    decimal GroupWeight = 1,
    int MinimumSample = 30,
    IReadOnlyList<DemographicField>? Demographics = null);

/// <summary>One question, mapped to one survey-scored sub-criterion; answered either by an option or a number.</summary>
public sealed record Question(
    string Code,
    string Text,
    string SubCriterionCode,
    bool Required = true,
    IReadOnlyList<AnswerOption>? Options = null,
    NumericScale? Scale = null);

/// <summary>An answer option worth <paramref name="Percent"/> of the question (A = 100, B = 60, C = 20, D = 0).</summary>
public sealed record AnswerOption(string Code, string Label, decimal Percent);

/// <summary>A numeric answer from <paramref name="Min"/> (scores 0) to <paramref name="Max"/> (scores 1).</summary>
public sealed record NumericScale(decimal Min, decimal Max);

/// <summary>An optional profile field of the respondent (sex, age band, level...) with its allowed bands.</summary>
public sealed record DemographicField(string Code, IReadOnlyList<string> Bands);

public sealed record Questionnaire(
    Guid Id,
    string TenantId,
    string Status,
    QuestionnaireDefinition Definition,
    IReadOnlyDictionary<string, decimal> MaxPoints,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt)
{
    public const string Draft = "draft";
    public const string Published = "published";

    private Dictionary<string, int>? _questionIndex;
    private Dictionary<string, DemographicField>? _demographics;

    public bool IsPublished => Status == Published;

    public Question? FindQuestion(string code) => IndexOfQuestion(code) is >= 0 and var index ? Definition.Questions[index] : null;

    /// <returns>The question's position in <see cref="QuestionnaireDefinition.Questions"/>, or -1.</returns>
    public int IndexOfQuestion(string code) =>
        (_questionIndex ??= Definition.Questions.Select((question, index) => (question.Code, index))
            .ToDictionary(entry => entry.Code, entry => entry.index, StringComparer.Ordinal))
        .GetValueOrDefault(code, -1);

    /// <summary>The declared demographic fields by code (intake checks every profile against them).</summary>
    public IReadOnlyDictionary<string, DemographicField> DemographicFields =>
        _demographics ??= (Definition.Demographics ?? []).ToDictionary(demographic => demographic.Code);
}
