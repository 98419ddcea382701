using Grpc.Core;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Apis;

internal static class QuestionnairesApi
{
    private static readonly string[] Editors =
        [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.SurveyOperator];

    public static RouteGroupBuilder MapQuestionnairesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/questionnaires").RequireAuthorization();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{id:guid}", UpdateAsync);
        group.MapPost("/{id:guid}/publish", PublishAsync);
        group.MapDelete("/{id:guid}", DeleteAsync);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<Questionnaire>>> ListAsync(
        Guid? roundId, HttpContext http, QuestionnaireData data, CancellationToken cancellationToken) =>
        TypedResults.Ok(await data.ListAsync(Caller.Of(http).TenantId, roundId, cancellationToken));

    private static async Task<Results<Ok<Questionnaire>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, QuestionnaireData data, CancellationToken cancellationToken) =>
        await data.FindAsync(id, cancellationToken) is { } questionnaire && questionnaire.TenantId == Caller.Of(http).TenantId
            ? TypedResults.Ok(questionnaire)
            : Problems.NotFound("Questionnaire");

    private static async Task<Results<Created<Questionnaire>, ProblemHttpResult>> CreateAsync(
        QuestionnaireDefinition definition, HttpContext http, QuestionnaireData data, CriteriaClient criteria,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return Problems.Forbidden();
        }
        if (await CheckAsync(definition, caller.TenantId, criteria, cancellationToken) is { } problem)
        {
            return problem;
        }
        var questionnaire = new Questionnaire(
            NewId.NextGuid(), caller.TenantId, Questionnaire.Draft, definition, new Dictionary<string, decimal>(), clock.GetUtcNow(), null);
        await data.InsertAsync(questionnaire, cancellationToken);
        return TypedResults.Created($"questionnaires/{questionnaire.Id}", questionnaire);
    }

    private static async Task<Results<Ok<Questionnaire>, ProblemHttpResult>> UpdateAsync(
        Guid id, QuestionnaireDefinition definition, HttpContext http, QuestionnaireData data, CriteriaClient criteria,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return Problems.Forbidden();
        }
        if (await data.FindAsync(id, cancellationToken) is not { } existing || existing.TenantId != caller.TenantId)
        {
            return Problems.NotFound("Questionnaire");
        }
        if (await CheckAsync(definition, caller.TenantId, criteria, cancellationToken) is { } problem)
        {
            return problem;
        }
        return await data.UpdateDraftAsync(id, definition, cancellationToken)
            ? TypedResults.Ok(existing with { Definition = definition })
            : Problems.Of(409, "questionnaire-published", "A published questionnaire cannot change; create a new one.");
    }

    private static async Task<Results<Ok<Questionnaire>, ProblemHttpResult>> PublishAsync(
        Guid id, HttpContext http, QuestionnaireData data, CriteriaClient criteria, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return Problems.Forbidden();
        }
        if (await data.FindAsync(id, cancellationToken) is not { } draft || draft.TenantId != caller.TenantId)
        {
            return Problems.NotFound("Questionnaire");
        }
        if (draft.IsPublished)
        {
            return Problems.Of(409, "questionnaire-published", "The questionnaire is already published.");
        }
        // Checked again: the criteria set may have changed since the draft was written.
        if (await CheckAsync(draft.Definition, caller.TenantId, criteria, cancellationToken) is { } problem)
        {
            return problem;
        }
        var round = (await criteria.GetRoundAsync(draft.Definition.RoundId, cancellationToken))!;
        var subCriteria = (await criteria.GetSurveySubCriteriaAsync(round, cancellationToken))!;
        var maxPoints = draft.Definition.Questions.Select(question => question.SubCriterionCode).Distinct()
            .ToDictionary(code => code, code => subCriteria[code].MaxPoints);
        var publishedAt = clock.GetUtcNow();
        if (!await data.PublishAsync(id, maxPoints, publishedAt, cancellationToken))
        {
            return Problems.Of(409, "questionnaire-published", "The questionnaire is already published.");
        }
        return TypedResults.Ok(draft with { Status = Questionnaire.Published, MaxPoints = maxPoints, PublishedAt = publishedAt });
    }

    /// <summary>A draft with nothing attached can be deleted; a published one, or one with responses, cannot (409).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext http, QuestionnaireData data, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return Problems.Forbidden();
        }
        if (await data.FindAsync(id, cancellationToken) is not { } questionnaire || questionnaire.TenantId != caller.TenantId)
        {
            return Problems.NotFound("Questionnaire");
        }
        return await data.DeleteDraftAsync(id, cancellationToken) switch
        {
            QuestionnaireData.DeleteOutcome.Deleted => TypedResults.NoContent(),
            QuestionnaireData.DeleteOutcome.HasResponses => Problems.Of(409, "questionnaire-in-use",
                "The questionnaire has accepted responses; it cannot be deleted."),
            _ => Problems.Of(409, "questionnaire-published",
                "A published questionnaire cannot be deleted: its responses and points depend on it."),
        };
    }

    /// <summary>Structure first, then the round (same tenant) and the mapping to its set's survey-scored sub-criteria.</summary>
    private static async Task<ProblemHttpResult?> CheckAsync(
        QuestionnaireDefinition definition, string tenantId, CriteriaClient criteria, CancellationToken cancellationToken)
    {
        var errors = QuestionnaireRules.Check(definition);
        if (errors.Count > 0)
        {
            return Problems.Of(400, "invalid-questionnaire", string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });
        }
        try
        {
            var round = await criteria.GetRoundAsync(definition.RoundId, cancellationToken);
            if (round is null || round.TenantId != tenantId)
            {
                return Problems.Of(400, "unknown-round", $"Round {definition.RoundId} does not exist in your tenant.");
            }
            if (await criteria.GetSurveySubCriteriaAsync(round, cancellationToken) is not { } subCriteria)
            {
                return Problems.CriteriaUnavailable(); // the round names a set the criteria service does not know (yet)
            }
            var unknown = definition.Questions.Where(question => !subCriteria.ContainsKey(question.SubCriterionCode))
                .Select(question => $"question '{question.Code}': '{question.SubCriterionCode}' is not a survey-scored item (leaf criterion or sub-criterion) of the round's set")
                .ToList();
            return unknown.Count == 0
                ? null
                : Problems.Of(400, "unknown-sub-criterion", string.Join("; ", unknown), new Dictionary<string, object?> { ["errors"] = unknown });
        }
        catch (Exception exception) when (exception is CriteriaUnavailableException or RpcException)
        {
            return Problems.CriteriaUnavailable();
        }
    }
}
