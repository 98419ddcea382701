namespace ParPlatform.Survey.Intake;

/// <summary>A response as a client sends it. <paramref name="ResponseId"/> is the client's idempotency key.</summary>
public sealed record ResponseInput(
    string? ResponseId,
    Guid QuestionnaireId,
    Guid UnitId,
    IReadOnlyList<AnswerInput>? Answers,
    IReadOnlyDictionary<string, string>? Profile = null);

/// <summary><paramref name="Option"/> answers an option question, <paramref name="Value"/> a numeric-scale one.</summary>
public sealed record AnswerInput(string Question, string? Option = null, decimal? Value = null);

public static class Outcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

/// <summary>Stable rejection codes; each also names the ProblemDetails type <c>urn:par:survey:{code}</c>.</summary>
public static class Reasons
{
    public const string MissingResponseId = "missing-response-id";
    public const string UnknownQuestionnaire = "unknown-questionnaire";
    public const string UnknownUnit = "unknown-unit";
    public const string InvalidUnitId = "invalid-unit-id";
    public const string WindowClosed = "survey-window-closed";
    public const string UnknownQuestion = "unknown-question";
    public const string AnswerOutsideScale = "answer-outside-scale";
    public const string MissingRequiredAnswer = "missing-required-answer";
    public const string InvalidProfile = "invalid-profile";
    public const string Conflict = "response-conflict";
    public const string MalformedRow = "malformed-row";
    public const string BatchTooLarge = "batch-too-large";
}

/// <summary>The outcome for one response. Accepted and duplicate carry the (original) receipt.</summary>
public sealed record ItemResult(
    string? ResponseId, string Outcome, Guid? ReceiptId = null, DateTimeOffset? AcceptedAt = null,
    string? Reason = null, string? Detail = null)
{
    public static ItemResult Reject(string? responseId, string reason, string detail) =>
        new(responseId, Outcomes.Rejected, Reason: reason, Detail: detail);
}

/// <summary>
/// The message from intake to the workers: a batch of validated, claimed responses of one tenant, in
/// <see cref="ResponseBatchCodec"/>'s binary form (<paramref name="Count"/> of them).
/// </summary>
public sealed record SurveyResponsesSubmitted(string TenantId, int Count, byte[] Responses)
{
    public static SurveyResponsesSubmitted Of(string tenantId, IReadOnlyList<SubmittedResponse> responses) =>
        new(tenantId, responses.Count, ResponseBatchCodec.Encode(responses));
}

/// <summary>A validated response, its answers as parallel arrays with each answer's normalised score (0..1).</summary>
public sealed record SubmittedResponse(
    string ResponseId,
    Guid ReceiptId,
    Guid QuestionnaireId,
    Guid RoundId,
    Guid UnitId,
    string RespondentGroup,
    string ContentHash,
    string[] QuestionCodes,
    string[] Answers,
    string[] SubCriteria,
    decimal[] Scores,
    IReadOnlyDictionary<string, string> Profile,
    string Channel,
    DateTimeOffset AcceptedAt);
