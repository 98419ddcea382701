using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Intake;

/// <summary>A response that passed every check, ready to be claimed and sent (receipt not yet assigned).</summary>
public sealed record ValidResponse(ResponseInput Input, Questionnaire Questionnaire, SubmittedResponse Response);

/// <summary>
/// Checks one response against its published questionnaire, the round's units and the survey window (server clock),
/// and turns its answers into normalised scores.
/// </summary>
public sealed class ResponseValidator(QuestionnaireData questionnaires, CriteriaCatalog criteria, TimeProvider clock)
{
    public const int MaxResponseIdLength = 200;

    /// <returns>Either a valid response or the rejection with its reason.</returns>
    public async Task<(ValidResponse? Valid, ItemResult? Rejection)> ValidateAsync(
        string tenantId, ResponseInput input, string channel, CancellationToken cancellationToken)
    {
        var id = input.ResponseId;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxResponseIdLength)
        {
            return (null, ItemResult.Reject(id, Reasons.MissingResponseId, $"A response id (1-{MaxResponseIdLength} characters) is required."));
        }
        var questionnaire = await questionnaires.FindAsync(input.QuestionnaireId, cancellationToken);
        if (questionnaire is not { IsPublished: true } || questionnaire.TenantId != tenantId)
        {
            return (null, ItemResult.Reject(id, Reasons.UnknownQuestionnaire, $"No published questionnaire {input.QuestionnaireId} in your tenant."));
        }
        var roundId = questionnaire.Definition.RoundId;
        var round = await criteria.GetRoundAsync(roundId, cancellationToken);
        var now = clock.GetUtcNow();
        if (round?.SurveyOpensAt is null || round.SurveyClosesAt is null
            || now < round.SurveyOpensAt.ToDateTimeOffset() || now >= round.SurveyClosesAt.ToDateTimeOffset())
        {
            return (null, ItemResult.Reject(id, Reasons.WindowClosed, $"The survey window of round {roundId} is not open."));
        }
        if (!(await criteria.GetRoundUnitsAsync(roundId, cancellationToken)).Contains(input.UnitId))
        {
            return (null, ItemResult.Reject(id, Reasons.UnknownUnit, $"Unit {input.UnitId} is not evaluated in round {roundId}."));
        }
        if (CheckProfile(questionnaire, input.Profile) is { } profileError)
        {
            return (null, ItemResult.Reject(id, Reasons.InvalidProfile, profileError));
        }
        return Score(questionnaire, input, channel);
    }

    private static (ValidResponse?, ItemResult?) Score(Questionnaire questionnaire, ResponseInput input, string channel)
    {
        var answers = input.Answers ?? [];
        var byQuestion = new Dictionary<string, (string Raw, decimal Score, Question Question)>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            var question = questionnaire.FindQuestion(answer.Question ?? "");
            if (question is null)
            {
                return (null, ItemResult.Reject(input.ResponseId, Reasons.UnknownQuestion, $"Question '{answer.Question}' is not in the questionnaire."));
            }
            if (byQuestion.ContainsKey(question.Code))
            {
                return (null, ItemResult.Reject(input.ResponseId, Reasons.UnknownQuestion, $"Question '{question.Code}' is answered twice."));
            }
            if (Normalise(question, answer) is not { } scored)
            {
                return (null, ItemResult.Reject(input.ResponseId, Reasons.AnswerOutsideScale,
                    $"The answer to '{question.Code}' ({answer.Option ?? answer.Value?.ToString(CultureInfo.InvariantCulture) ?? "empty"}) is outside its scale."));
            }
            byQuestion[question.Code] = (scored.Raw, scored.Score, question);
        }
        var missing = questionnaire.Definition.Questions.Where(q => q.Required && !byQuestion.ContainsKey(q.Code)).Select(q => q.Code).ToList();
        if (missing.Count > 0)
        {
            return (null, ItemResult.Reject(input.ResponseId, Reasons.MissingRequiredAnswer, $"Required questions unanswered: {string.Join(", ", missing)}."));
        }

        var ordered = byQuestion.OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        var profile = input.Profile ?? new Dictionary<string, string>();
        var response = new SubmittedResponse(
            input.ResponseId!, Guid.Empty, questionnaire.Id, questionnaire.Definition.RoundId, input.UnitId,
            questionnaire.Definition.RespondentGroup, Hash(questionnaire.Id, input.UnitId, ordered.Select(e => (e.Key, e.Value.Raw)), profile),
            ordered.Select(e => e.Key).ToArray(), ordered.Select(e => e.Value.Raw).ToArray(),
            ordered.Select(e => e.Value.Question.SubCriterionCode).ToArray(), ordered.Select(e => e.Value.Score).ToArray(),
            profile, channel, default);
        return (new ValidResponse(input, questionnaire, response), null);
    }

    private static (string Raw, decimal Score)? Normalise(Question question, AnswerInput answer)
    {
        if (question.Options is { Count: > 0 } options)
        {
            var option = options.FirstOrDefault(o => o.Code == answer.Option);
            return option is null || answer.Value is not null ? null : (option.Code, option.Percent / 100m);
        }
        if (question.Scale is { } scale && answer.Value is { } value && answer.Option is null && value >= scale.Min && value <= scale.Max)
        {
            // G29 drops trailing zeros, so 7 and 7.0 are the same answer (and the same content hash).
            return (value.ToString("G29", CultureInfo.InvariantCulture), (value - scale.Min) / (scale.Max - scale.Min));
        }
        return null;
    }

    private static string? CheckProfile(Questionnaire questionnaire, IReadOnlyDictionary<string, string>? profile)
    {
        var fields = (questionnaire.Definition.Demographics ?? []).ToDictionary(field => field.Code);
        foreach (var (code, band) in profile ?? new Dictionary<string, string>())
        {
            if (!fields.TryGetValue(code, out var field) || !field.Bands.Contains(band))
            {
                return $"Profile field '{code}' = '{band}' is not a declared demographic band.";
            }
        }
        return null;
    }

    /// <summary>SHA-256 of the canonical content: what "identical repeat" means for the idempotency check.</summary>
    public static string Hash(Guid questionnaireId, Guid unitId, IEnumerable<(string Code, string Raw)> answers, IReadOnlyDictionary<string, string> profile)
    {
        var canonical = new StringBuilder().Append(questionnaireId.ToString("N")).Append('\n').Append(unitId.ToString("N")).Append('\n');
        foreach (var (code, raw) in answers)
        {
            canonical.Append("a:").Append(code).Append('=').Append(raw).Append('\n');
        }
        foreach (var (code, band) in profile.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            canonical.Append("p:").Append(code).Append('=').Append(band).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
