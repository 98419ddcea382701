using Grpc.Core;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
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

    private static async Task<Results<Ok<Questionnaire>, NotFoundProblem>> GetAsync(
        Guid id, HttpContext http, QuestionnaireData data, CancellationToken cancellationToken) =>
        await data.FindAsync(id, cancellationToken) is { } questionnaire && questionnaire.TenantId == Caller.Of(http).TenantId
            ? TypedResults.Ok(questionnaire)
            : SurveyProblems.NotFound("Questionnaire");

    private static async Task<Results<Created<Questionnaire>, ForbiddenProblem, BadRequestProblem, ServiceUnavailableProblem>> CreateAsync(
        QuestionnaireDefinition definition, HttpContext http, QuestionnaireData data, CriteriaClient criteria,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return SurveyProblems.Forbidden();
        }
        await CheckAsync(definition, caller.TenantId, criteria, cancellationToken);
        var questionnaire = new Questionnaire(
            NewId.NextGuid(), caller.TenantId, Questionnaire.Draft, definition, new Dictionary<string, decimal>(), clock.GetUtcNow(), null);
        await data.InsertAsync(questionnaire, cancellationToken);
        return TypedResults.Created($"questionnaires/{questionnaire.Id}", questionnaire);
    }

    private static async Task<Results<Ok<Questionnaire>, ForbiddenProblem, NotFoundProblem, ConflictProblem, BadRequestProblem, ServiceUnavailableProblem>> UpdateAsync(
        Guid id, QuestionnaireDefinition definition, HttpContext http, QuestionnaireData data, CriteriaClient criteria,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return SurveyProblems.Forbidden();
        }
        if (await data.FindAsync(id, cancellationToken) is not { } existing || existing.TenantId != caller.TenantId)
        {
            return SurveyProblems.NotFound("Questionnaire");
        }
        await CheckAsync(definition, caller.TenantId, criteria, cancellationToken);
        return await data.UpdateDraftAsync(id, definition, cancellationToken)
            ? TypedResults.Ok(existing with { Definition = definition })
            : SurveyProblems.QuestionnairePublished.With("A published questionnaire cannot change; create a new one.");
    }

    private static async Task<Results<Ok<Questionnaire>, ForbiddenProblem, NotFoundProblem, ConflictProblem, BadRequestProblem, ServiceUnavailableProblem>> PublishAsync(
        Guid id, HttpContext http, QuestionnaireData data, CriteriaClient criteria, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return SurveyProblems.Forbidden();
        }
        if (await data.FindAsync(id, cancellationToken) is not { } draft || draft.TenantId != caller.TenantId)
        {
            return SurveyProblems.NotFound("Questionnaire");
        }
        if (draft.IsPublished)
        {
            return SurveyProblems.QuestionnairePublished.With("The questionnaire is already published.");
        }
        // Checked again: the criteria set may have changed since the draft was written.
        await CheckAsync(draft.Definition, caller.TenantId, criteria, cancellationToken);
        var round = (await criteria.GetRoundAsync(draft.Definition.RoundId, cancellationToken))!;
        var subCriteria = (await criteria.GetSurveySubCriteriaAsync(round, cancellationToken))!;
        var maxPoints = draft.Definition.Questions.Select(question => question.SubCriterionCode).Distinct()
            .ToDictionary(code => code, code => subCriteria[code].MaxPoints);
        var publishedAt = clock.GetUtcNow();
        if (!await data.PublishAsync(id, maxPoints, publishedAt, cancellationToken))
        {
            return SurveyProblems.QuestionnairePublished.With("The questionnaire is already published.");
        }
        return TypedResults.Ok(draft with { Status = Questionnaire.Published, MaxPoints = maxPoints, PublishedAt = publishedAt });
    }

    /// <summary>A draft with nothing attached can be deleted; a published one, or one with responses, cannot (409).</summary>
    private static async Task<Results<NoContent, ForbiddenProblem, NotFoundProblem, ConflictProblem>> DeleteAsync(
        Guid id, HttpContext http, QuestionnaireData data, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Editors))
        {
            return SurveyProblems.Forbidden();
        }
        if (await data.FindAsync(id, cancellationToken) is not { } questionnaire || questionnaire.TenantId != caller.TenantId)
        {
            return SurveyProblems.NotFound("Questionnaire");
        }
        return await data.DeleteDraftAsync(id, cancellationToken) switch
        {
            QuestionnaireData.DeleteOutcome.Deleted => TypedResults.NoContent(),
            QuestionnaireData.DeleteOutcome.HasResponses => SurveyProblems.QuestionnaireInUse.With(
                "The questionnaire has accepted responses; it cannot be deleted."),
            _ => SurveyProblems.QuestionnairePublished.With(
                "A published questionnaire cannot be deleted: its responses and points depend on it."),
        };
    }

    /// <summary>
    /// Structure first, then the round (same tenant) and the mapping to its set's survey-scored sub-criteria; throws
    /// 400 (what is wrong) or 503 (the criteria service did not answer).
    /// </summary>
    private static async Task CheckAsync(
        QuestionnaireDefinition definition, string tenantId, CriteriaClient criteria, CancellationToken cancellationToken)
    {
        var errors = QuestionnaireRules.Check(definition);
        if (errors.Count > 0)
        {
            throw SurveyProblems.InvalidQuestionnaire.With(string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors }).ToException();
        }
        BadRequestProblem? refused;
        try
        {
            var round = await criteria.GetRoundAsync(definition.RoundId, cancellationToken);
            if (round is null || round.TenantId != tenantId)
            {
                throw SurveyProblems.UnknownRound.With($"Round {definition.RoundId} does not exist in your tenant.").ToException();
            }
            if (await criteria.GetSurveySubCriteriaAsync(round, cancellationToken) is not { } subCriteria)
            {
                throw SurveyProblems.CriteriaUnavailable().ToException(); // the round names a set the criteria service does not know (yet)
            }
            var unknown = definition.Questions.Where(question => !subCriteria.ContainsKey(question.SubCriterionCode))
                .Select(question => $"question '{question.Code}': '{question.SubCriterionCode}' is not a survey-scored item (leaf criterion or sub-criterion) of the round's set")
                .ToList();
            refused = unknown.Count == 0
                ? null
                : SurveyProblems.UnknownSubCriterion.With(string.Join("; ", unknown), new Dictionary<string, object?> { ["errors"] = unknown });
        }
        catch (Exception exception) when (exception is CriteriaUnavailableException or RpcException)
        {
            throw SurveyProblems.CriteriaUnavailable().ToException();
        }
        if (refused is not null)
        {
            throw refused.ToException();
        }
    }
}
