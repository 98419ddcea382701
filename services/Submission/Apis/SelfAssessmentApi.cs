using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Criteria;
using ParPlatform.Submission.Data;
using ParPlatform.Submission.Evidence;

namespace ParPlatform.Submission.Apis;

public sealed record StartAssessmentRequest(Guid RoundId, Guid UnitId);
public sealed record ItemUpdate(decimal? SelfScore, string? Explanation, Guid[]? EvidenceIds);

/// <summary>
/// A unit's change to one item as sent over REST, PUT or PATCH: a JSON merge patch (RFC 7396). A member left out keeps
/// its value, null clears it (<c>evidenceIds: null</c> detaches every file), <c>evidenceIds</c> replaces the list.
/// Scores are read exactly (a digit a decimal cannot hold is refused, never rounded away).
/// </summary>
internal static class ItemChange
{
    public static ItemUpdate Merge(AssessmentItem item, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ScoreRules.InvalidBody("Send a JSON object with any of selfScore, explanation, evidenceIds.");
        }
        var update = new ItemUpdate(item.SelfScore, item.Explanation, item.EvidenceIds);
        foreach (var member in body.EnumerateObject())
        {
            var value = member.Value;
            var isNull = value.ValueKind == JsonValueKind.Null;
            update = member.Name.ToLowerInvariant() switch
            {
                "selfscore" => update with { SelfScore = isNull ? null : ScoreRules.Read(value, "selfScore") },
                "explanation" when isNull || value.ValueKind == JsonValueKind.String => update with { Explanation = value.GetString() },
                "explanation" => throw ScoreRules.InvalidBody("'explanation' must be a string or null."),
                "evidenceids" => update with { EvidenceIds = isNull ? [] : EvidenceIds(value) },
                _ => throw ScoreRules.InvalidBody($"'{member.Name}' cannot be changed here; an item takes selfScore, explanation and evidenceIds."),
            };
        }
        return update;
    }

    private static Guid[] EvidenceIds(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ScoreRules.InvalidBody("'evidenceIds' must be an array of evidence ids, or null.");
        }
        return value.EnumerateArray()
            .Select(id => id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var guid)
                ? guid
                : throw ScoreRules.InvalidBody($"'evidenceIds' holds {id.GetRawText()}, which is not an evidence id."))
            .ToArray();
    }
}

/// <summary>The unit's side: start, score items, submit for approval, leader approval.</summary>
internal static class SelfAssessmentApi
{
    public static void MapSelfAssessmentApi(this RouteGroupBuilder api)
    {
        api.MapPost("/assessments", StartAsync);
        api.MapGet("/assessments/{id:guid}", GetAsync);
        api.MapGet("/rounds/{roundId:guid}/units/{unitId:guid}/assessment", FindAsync);
        // PUT and PATCH alike change only the members sent (JSON merge patch, RFC 7396): see ItemChange.
        // The union of result types is full (six): the 412 of a stale If-Match is declared here.
        api.MapPut("/assessments/{id:guid}/items/{code}", UpdateItemAsync).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapPatch("/assessments/{id:guid}/items/{code}", UpdateItemAsync).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapPost("/assessments/{id:guid}/submit", SubmitAsync);
        api.MapPost("/assessments/{id:guid}/approve", ApproveAsync);
    }

    private static async Task<Results<Created<AssessmentView>, Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem>> StartAsync(
        StartAssessmentRequest request, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader) || !Guid.TryParse(caller.UnitId, out var unitId) || unitId != request.UnitId)
        {
            throw SubmissionProblems.Forbidden("Only officials of the unit may start its self-assessment.");
        }
        var round = await catalog.GetRoundAsync(request.RoundId, http.RequestAborted) ?? throw SubmissionProblems.NotFound($"Round {request.RoundId}");
        if (round.TenantId != caller.TenantId)
        {
            throw SubmissionProblems.Forbidden("The round belongs to another tenant.");
        }
        var unit = (await catalog.ListRoundUnitsAsync(round, http.RequestAborted) ?? []).SingleOrDefault(unit => unit.Id == request.UnitId.ToString())
            ?? throw SubmissionProblems.NotFound($"Unit {request.UnitId} in round {request.RoundId}");
        var now = clock.GetUtcNow();
        Access.EnsureSelfAssessmentOpen(round, now);

        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        await using var transaction = await connection.BeginTransactionAsync();
        if (await AssessmentData.FindAsync(connection, request.RoundId, request.UnitId, transaction) is { } existing)
        {
            return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(connection, existing));
        }
        var set = await catalog.GetCriteriaSetAsync(round.CriteriaSetId, http.RequestAborted)
            ?? throw SubmissionProblems.NotFound($"Criteria set {round.CriteriaSetId} of round {round.Id}");
        if (set.Status != ParPlatform.Contracts.Criteria.V1.SetStatus.Published)
        {
            throw SubmissionProblems.SetNotPublished.With("Only a published criteria set can be self-assessed.").ToException();
        }
        var assessment = new Assessment(Guid.CreateVersion7(), request.RoundId, round.TenantId, request.UnitId, Guid.Parse(set.Id),
            CriteriaClient.ParseDecimal(set.ScoreStep), AssessmentStatus.Draft, 1, 0, now, now,
            CriteriaClient.ParseDecimal(set.BonusCap), CriteriaClient.ParseDecimal(set.PenaltyCap));
        if (!await AssessmentData.CreateAsync(connection, transaction, assessment, AppraisedItems.Of(set, unit.NotApplicableCodes)))
        {
            await transaction.RollbackAsync();
            return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(connection, (await AssessmentData.FindAsync(connection, request.RoundId, request.UnitId))!));
        }
        await AssessmentData.AppendAuditAsync(connection, transaction, assessment.Id,
            new AuditEntry(0, now, caller.UserId, caller.DisplayName, caller.Role, null, "status", null, AssessmentStatus.Draft, null));
        await transaction.CommitAsync();
        return TypedResults.Created($"assessments/{assessment.Id}", await AssessmentWorkflow.ViewAsync(connection, assessment));
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem>> GetAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var assessment = await AssessmentData.GetAsync(connection, id) ?? throw SubmissionProblems.NotFound($"Assessment {id}");
        Access.EnsureCanRead(Caller.Of(http), assessment);
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(connection, assessment));
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem>> FindAsync(Guid roundId, Guid unitId, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var assessment = await AssessmentData.FindAsync(connection, roundId, unitId)
            ?? throw SubmissionProblems.NotFound($"Assessment of unit {unitId} in round {roundId}");
        Access.EnsureCanRead(Caller.Of(http), assessment);
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(connection, assessment));
    }

    private static async Task<Results<Ok<AssessmentItem>, BadRequestProblem, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> UpdateItemAsync(Guid id, string code, JsonElement body,
        [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http,
        TenantDataSource dataSource, CriteriaClient catalog, EvidenceVerifier evidence, TimeProvider clock)
    {
        await using var session = await AssessmentSession.OpenAsync(dataSource, id, Caller.Of(http), clock, http.RequestAborted);
        Access.EnsureUnitMember(session.Caller, session.Assessment);
        var item = (await session.ItemsAsync()).SingleOrDefault(item => item.Code == code)
            ?? throw SubmissionProblems.NotFound($"Item {code}");
        ItemVersions.EnsureMatches(ifMatch, item, session.Assessment.PointDecimals);
        var update = ItemChange.Merge(item, body);
        await AssessmentWorkflow.ApplyItemUpdateAsync(session, await AssessmentWorkflow.RoundAsync(catalog, session.Assessment), item, update, evidence);
        await session.CommitAsync();
        var written = (await AssessmentData.ItemsAsync(session.Connection, id)).Single(changed => changed.Code == code);
        ItemVersions.Answer(http.Response, written);
        return TypedResults.Ok(written.Shown(session.Assessment.PointDecimals));
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> SubmitAsync(Guid id, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await AssessmentSession.OpenAsync(dataSource, id, Caller.Of(http), clock, http.RequestAborted);
        Access.EnsureUnitMember(session.Caller, session.Assessment);
        AssessmentWorkflow.EnsureStatus(session, AssessmentStatus.Draft, "submit");
        Access.EnsureSelfAssessmentOpen(await AssessmentWorkflow.RoundAsync(catalog, session.Assessment), session.Now);
        var items = await session.ItemsAsync();
        if (items.Where(item => item.SelfScore is null).Select(item => item.Code).ToList() is { Count: > 0 } unscored)
        {
            throw SubmissionProblems.ItemsNotScored.With("Every item needs a self score.", SubmissionProblems.Items(unscored)).ToException();
        }
        if (items.Where(item => item.LacksEvidence).Select(item => item.Code).ToList() is { Count: > 0 } missing)
        {
            throw SubmissionProblems.EvidenceMissing.With("Each of these items requires evidence or an explanation.", SubmissionProblems.Items(missing)).ToException();
        }
        await session.ChangeAsync(current => current with { Status = AssessmentStatus.SubmittedForApproval });
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> ApproveAsync(Guid id, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await AssessmentSession.OpenAsync(dataSource, id, Caller.Of(http), clock, http.RequestAborted);
        Access.EnsureLeader(session.Caller, session.Assessment);
        AssessmentWorkflow.EnsureStatus(session, AssessmentStatus.SubmittedForApproval, "approve");
        Access.EnsureSelfAssessmentOpen(await AssessmentWorkflow.RoundAsync(catalog, session.Assessment), session.Now);
        await session.ChangeAsync(current => current with { Status = AssessmentStatus.Approved });
        var approved = session.Assessment;
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, approved));
    }
}
