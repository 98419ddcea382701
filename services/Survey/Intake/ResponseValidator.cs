using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Questionnaires;
using ParPlatform.Survey.Scoring;

namespace ParPlatform.Survey.Intake;

/// <summary>A response that passed every check, ready to be claimed and sent (receipt not yet assigned).</summary>
public sealed record ValidResponse(ResponseInput Input, Questionnaire Questionnaire, SubmittedResponse Response);

/// <summary>
/// Checks one response against its published questionnaire, the round's units and the survey window (server clock),
/// and turns its answers into normalised scores.
/// </summary>
public sealed class ResponseValidator(QuestionnaireData questionnaires, CriteriaClient criteria, TimeProvider clock)
{
    public const int MaxResponseIdLength = 200;

    /// <summary>
    /// What the responses of one request share: a batch nearly always answers one questionnaire, so its questionnaire,
    /// round and unit set are looked up once instead of once per response (each lookup is a cache hit, but a keyed
    /// one, and a thousand of them per batch added up).
    /// </summary>
    public sealed class Lookups
    {
        internal Guid QuestionnaireId;
        internal Questionnaire? Questionnaire;
        internal Round? Round;
        internal IReadOnlySet<Guid>? Units;
    }

    /// <returns>Either a valid response or the rejection with its reason.</returns>
    public async Task<(ValidResponse? Valid, ItemResult? Rejection)> ValidateAsync(
        string tenantId, ResponseInput input, string channel, CancellationToken cancellationToken, Lookups? lookups = null)
    {
        var id = input.ResponseId;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxResponseIdLength)
        {
            return (null, ItemResult.Reject(id, Reasons.MissingResponseId, $"A response id (1-{MaxResponseIdLength} characters) is required."));
        }
        Questionnaire? questionnaire;
        Round? round;
        if (lookups?.Questionnaire is { } known && lookups.QuestionnaireId == input.QuestionnaireId && known.TenantId == tenantId)
        {
            (questionnaire, round) = (known, lookups.Round);
        }
        else
        {
            questionnaire = await questionnaires.FindAsync(input.QuestionnaireId, cancellationToken);
            if (questionnaire is not { IsPublished: true } || questionnaire.TenantId != tenantId)
            {
                return (null, ItemResult.Reject(id, Reasons.UnknownQuestionnaire, $"No published questionnaire {input.QuestionnaireId} in your tenant."));
            }
            round = await criteria.GetRoundAsync(questionnaire.Definition.RoundId, cancellationToken);
            if (lookups is not null)
            {
                (lookups.QuestionnaireId, lookups.Questionnaire, lookups.Round, lookups.Units) = (input.QuestionnaireId, questionnaire, round, null);
            }
        }
        var roundId = questionnaire.Definition.RoundId;
        var now = clock.GetUtcNow();
        if (round?.SurveyOpensAt is null || round.SurveyClosesAt is null
            || now < round.SurveyOpensAt.ToDateTimeOffset() || now >= round.SurveyClosesAt.ToDateTimeOffset())
        {
            return (null, ItemResult.Reject(id, Reasons.WindowClosed, $"The survey window of round {roundId} is not open."));
        }
        var units = lookups?.Units ?? await criteria.GetRoundUnitsAsync(roundId, cancellationToken);
        if (lookups is not null)
        {
            lookups.Units = units;
        }
        if (!units.Contains(input.UnitId))
        {
            return (null, ItemResult.Reject(id, Reasons.UnknownUnit, $"Unit {input.UnitId} is not evaluated in round {roundId}."));
        }
        if (CheckProfile(questionnaire, input.Profile) is { } profileError)
        {
            return (null, ItemResult.Reject(id, Reasons.InvalidProfile, profileError));
        }
        return Score(questionnaire, input, channel);
    }

    private static readonly IReadOnlyList<AnswerInput> NoAnswers = [];

    private static (ValidResponse?, ItemResult?) Score(Questionnaire questionnaire, ResponseInput input, string channel)
    {
        var answers = input.Answers ?? NoAnswers;
        var questions = questionnaire.Definition.Questions;
        // An answered question is marked by its index: every answer is a distinct question of the questionnaire, so
        // there are never more of them than questions.
        Span<bool> answered = questions.Count <= 256 ? stackalloc bool[questions.Count] : new bool[questions.Count];
        var count = 0;
        var codes = new string[Math.Min(answers.Count, questions.Count)];
        var raws = new string[codes.Length];
        var subCriteria = new string[codes.Length];
        var scores = new decimal[codes.Length];
        foreach (var answer in answers)
        {
            var index = questionnaire.IndexOfQuestion(answer.Question ?? "");
            if (index < 0)
            {
                return (null, ItemResult.Reject(input.ResponseId, Reasons.UnknownQuestion, $"Question '{answer.Question}' is not in the questionnaire."));
            }
            var question = questions[index];
            if (answered[index])
            {
                return (null, ItemResult.Reject(input.ResponseId, Reasons.UnknownQuestion, $"Question '{question.Code}' is answered twice."));
            }
            if (Normalise(question, answer) is not { } scored)
            {
                return (null, ItemResult.Reject(input.ResponseId, Reasons.AnswerOutsideScale,
                    $"The answer to '{question.Code}' ({answer.Option ?? answer.Value?.ToString(CultureInfo.InvariantCulture) ?? "empty"}) is outside its scale."));
            }
            answered[index] = true;
            (codes[count], raws[count], subCriteria[count], scores[count]) = (question.Code, scored.Raw, question.SubCriterionCode, scored.Score);
            count++;
        }
        List<string>? missing = null;
        for (var i = 0; i < questions.Count; i++)
        {
            if (questions[i].Required && !answered[i])
            {
                (missing ??= []).Add(questions[i].Code);
            }
        }
        if (missing is not null)
        {
            return (null, ItemResult.Reject(input.ResponseId, Reasons.MissingRequiredAnswer, $"Required questions unanswered: {string.Join(", ", missing)}."));
        }

        // Stored and hashed in question-code order. Codes are distinct, so the sort needs no tie-break. Every answer
        // got this far, so count == codes.Length.
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }
        Array.Sort(codes, order, StringComparer.Ordinal);
        var (orderedRaws, orderedSubCriteria, orderedScores) = (new string[count], new string[count], new decimal[count]);
        for (var i = 0; i < count; i++)
        {
            (orderedRaws[i], orderedSubCriteria[i], orderedScores[i]) = (raws[order[i]], subCriteria[order[i]], scores[order[i]]);
        }
        var profile = input.Profile ?? new Dictionary<string, string>();
        var response = new SubmittedResponse(
            input.ResponseId!, Guid.Empty, questionnaire.Id, questionnaire.Definition.RoundId, input.UnitId,
            questionnaire.Definition.RespondentGroup, Hash(questionnaire.Id, input.UnitId, codes, orderedRaws, profile),
            codes, orderedRaws, orderedSubCriteria, orderedScores, profile, channel, default);
        return (new ValidResponse(input, questionnaire, response), null);
    }

    private static (string Raw, decimal Score)? Normalise(Question question, AnswerInput answer)
    {
        if (question.Options is { Count: > 0 } options)
        {
            foreach (var option in options)
            {
                if (option.Code == answer.Option)
                {
                    return answer.Value is not null ? null : (option.Code, SurveyScoring.NormalisedScore(option.Percent, 100m));
                }
            }
            return null;
        }
        if (question.Scale is { } scale && answer.Value is { } value && answer.Option is null && value >= scale.Min && value <= scale.Max)
        {
            // G29 drops trailing zeros, so 7 and 7.0 are the same answer (and the same content hash).
            return (value.ToString("G29", CultureInfo.InvariantCulture), SurveyScoring.NormalisedScore(value - scale.Min, scale.Max - scale.Min));
        }
        return null;
    }

    private static string? CheckProfile(Questionnaire questionnaire, IReadOnlyDictionary<string, string>? profile)
    {
        var fields = questionnaire.DemographicFields;
        if (profile is null)
        {
            return null;
        }
        foreach (var (code, band) in profile)
        {
            if (!fields.TryGetValue(code, out var field) || !field.Bands.Contains(band))
            {
                return $"Profile field '{code}' = '{band}' is not a declared demographic band.";
            }
        }
        return null;
    }

    /// <summary>
    /// SHA-256 of the canonical content: what "identical repeat" means for the idempotency check. The canonical content
    /// is <c>{questionnaire:N}\n{unit:N}\n</c>, then <c>a:{code}={raw}\n</c> per answer in the given order, then
    /// <c>p:{field}={band}\n</c> per profile field in ordinal order, as UTF-8. Stored receipts carry this hash, so the
    /// format must never change.
    /// </summary>
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

    public static string Hash(Guid questionnaireId, Guid unitId, string[] codes, string[] raws, IReadOnlyDictionary<string, string> profile) =>
        Hash(questionnaireId, unitId, codes.Zip(raws), profile);
}
