namespace ParPlatform.Survey.Questionnaires;

/// <summary>The structural rules of a questionnaire; the sub-criterion mapping is checked against the criteria service.</summary>
public static class QuestionnaireRules
{
    public static IReadOnlyList<string> Check(QuestionnaireDefinition definition)
    {
        List<string> errors = [];
        if (!RespondentGroups.All.Contains(definition.RespondentGroup ?? ""))
        {
            errors.Add($"respondentGroup must be one of: {string.Join(", ", RespondentGroups.All)}");
        }
        if (string.IsNullOrWhiteSpace(definition.Title))
        {
            errors.Add("title is required");
        }
        if (definition.GroupWeight <= 0)
        {
            errors.Add("groupWeight must be positive");
        }
        if (definition.MinimumSample < 1)
        {
            errors.Add("minimumSample must be at least 1");
        }
        if (definition.Questions is not { Count: > 0 })
        {
            errors.Add("at least one question is required");
            return errors;
        }
        foreach (var duplicate in definition.Questions.GroupBy(q => q.Code).Where(g => g.Count() > 1))
        {
            errors.Add($"question code '{duplicate.Key}' is used twice");
        }
        foreach (var question in definition.Questions)
        {
            errors.AddRange(CheckQuestion(question).Select(error => $"question '{question.Code}': {error}"));
        }
        foreach (var field in definition.Demographics ?? [])
        {
            if (string.IsNullOrWhiteSpace(field.Code) || field.Bands is not { Count: > 0 })
            {
                errors.Add($"demographic field '{field.Code}' needs a code and at least one band");
            }
        }
        return errors;
    }

    private static IEnumerable<string> CheckQuestion(Question question)
    {
        if (string.IsNullOrWhiteSpace(question.Code) || string.IsNullOrWhiteSpace(question.Text))
        {
            yield return "code and text are required";
        }
        if (string.IsNullOrWhiteSpace(question.SubCriterionCode))
        {
            yield return "subCriterionCode is required";
        }
        if ((question.Options is { Count: > 0 }) == (question.Scale is not null))
        {
            yield return "give either options or a numeric scale";
        }
        if (question.Options is { Count: > 0 } options)
        {
            if (options.Select(option => option.Code).Distinct().Count() != options.Count)
            {
                yield return "option codes must be unique";
            }
            if (options.Any(option => string.IsNullOrWhiteSpace(option.Code) || option.Percent is < 0 or > 100))
            {
                yield return "each option needs a code and a percent from 0 to 100";
            }
        }
        if (question.Scale is { } scale && scale.Min >= scale.Max)
        {
            yield return "scale min must be below max";
        }
    }
}
