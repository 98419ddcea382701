using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Criteria;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Apis;

/// <param name="Score">A JSON number, read exactly (see <see cref="ScoreRules.Read"/>).</param>
public sealed record AppraisalUpdate(JsonElement Score, string? Comment);
public sealed record SupplementaryRequest(string[] ItemCodes, DateTimeOffset DueAt, string? Note);
public sealed record CloseSupplementaryRequest(string[]? ItemCodes, string? Note);

/// <summary>The appraiser's side (thẩm định): two appraisal rounds, supplementary requests, finalisation, reopening.</summary>
internal static class AppraisalApi
{
    public static void MapAppraisalApi(this RouteGroupBuilder api)
    {
        api.MapPost("/assessments/{id:guid}/appraisal/start", StartAsync);
        // The union of result types is full (six): the 412 of a stale If-Match is declared here.
        api.MapPut("/assessments/{id:guid}/appraisal/items/{code}", AppraiseItemAsync).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapPost("/assessments/{id:guid}/appraisal/supplementary", RequestSupplementaryAsync);
        api.MapPost("/assessments/{id:guid}/appraisal/supplementary/close", CloseSupplementaryAsync);
        api.MapPost("/assessments/{id:guid}/appraisal/second-round", SecondRoundAsync);
        api.MapPost("/assessments/{id:guid}/appraisal/finalize", FinalizeAsync);
        api.MapPost("/assessments/{id:guid}/reopen", ReopenAsync);
    }

    private static async Task<AssessmentSession> OpenForAppraisalAsync(Guid id, HttpContext http, TenantDataSource dataSource,
        CriteriaClient catalog, TimeProvider clock, string expectedStatus, string action)
    {
        var session = await AssessmentSession.OpenAsync(dataSource, id, Caller.Of(http), clock, http.RequestAborted);
        try
        {
            Access.EnsureAppraiser(session.Caller, session.Assessment);
            AssessmentWorkflow.EnsureStatus(session, expectedStatus, action);
            Access.EnsureAppraisalOpen(await AssessmentWorkflow.RoundAsync(catalog, session.Assessment), session.Now);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> StartAsync(Guid id, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await OpenForAppraisalAsync(id, http, dataSource, catalog, clock, AssessmentStatus.Approved, "start appraising");
        await session.ChangeAsync(current => current with { Status = AssessmentStatus.UnderAppraisal });
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }

    private static async Task<Results<Ok<AssessmentItem>, BadRequestProblem, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> AppraiseItemAsync(Guid id, string code, AppraisalUpdate update,
        [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await OpenForAppraisalAsync(id, http, dataSource, catalog, clock, AssessmentStatus.UnderAppraisal, "appraise");
        var items = await session.ItemsAsync();
        var item = items.SingleOrDefault(item => item.Code == code) ?? throw SubmissionProblems.NotFound($"Item {code}");
        ItemVersions.EnsureMatches(ifMatch, item, session.Assessment.PointDecimals);
        var score = ScoreRules.Read(update.Score, "score");
        ScoreRules.EnsureValid(item, score, session.Assessment.ScoreStep);
        ScoreRules.EnsureWithinCap(session.Assessment, items, item, score, other => other.AppraisedScore ?? other.SelfScore);
        var round = session.Assessment.AppraisalRound;
        if (await AssessmentData.UpdateAppraisalAsync(session.Connection, session.Transaction, id, code, item.Version, session.Assessment.Revision, round,
                score, update.Comment, session.Caller.UserId, session.Caller.DisplayName, session.Now) is null)
        {
            throw await AssessmentWorkflow.ChangedAsync(session, code);
        }
        var before = round == 1 ? item.AppraisedScore1 : item.AppraisedScore2;
        await AssessmentWorkflow.AuditChangeAsync(session, code, $"appraisedScore{round}", AssessmentFigures.Text(before, session.Assessment.PointDecimals),
            AssessmentFigures.Text(score, session.Assessment.PointDecimals));
        await AssessmentWorkflow.AuditChangeAsync(session, code, "appraiserComment", item.AppraiserComment, update.Comment);
        await session.CommitAsync();
        var written = (await AssessmentData.ItemsAsync(session.Connection, id)).Single(changed => changed.Code == code);
        ItemVersions.Answer(http.Response, written);
        return TypedResults.Ok(written.Shown(session.Assessment.PointDecimals));
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> RequestSupplementaryAsync(Guid id, SupplementaryRequest request, HttpContext http,
        TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await OpenForAppraisalAsync(id, http, dataSource, catalog, clock, AssessmentStatus.UnderAppraisal, "request evidence for");
        var items = await session.ItemsAsync();
        var unknown = request.ItemCodes.Where(code => items.All(item => item.Code != code)).ToList();
        if (request.ItemCodes.Length == 0 || unknown.Count > 0)
        {
            throw SubmissionProblems.UnknownItems.With("Name existing item codes.", SubmissionProblems.Items(unknown)).ToException();
        }
        var dueAt = request.DueAt.ToUniversalTime();
        if (dueAt <= session.Now)
        {
            throw SubmissionProblems.DueDatePast.With($"The due date {dueAt:u} is not after now ({session.Now:u}).").ToException();
        }
        await AssessmentData.RequestSupplementaryAsync(session.Connection, session.Transaction, id, request.ItemCodes, dueAt, request.Note,
            session.Caller.UserId, session.Now);
        foreach (var item in items.Where(item => request.ItemCodes.Contains(item.Code)))
        {
            await session.AuditAsync(item.Code, "supplementaryDueAt", item.SupplementaryDueAt?.ToString("O"), dueAt.ToString("O"), request.Note);
        }
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }

    /// <summary>Ends open requests early (all, or the items named), so the appraisal can be finalised before their due date.</summary>
    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> CloseSupplementaryAsync(Guid id, CloseSupplementaryRequest? request, HttpContext http,
        TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await OpenForAppraisalAsync(id, http, dataSource, catalog, clock, AssessmentStatus.UnderAppraisal, "close requests of");
        var open = OpenRequests(await session.ItemsAsync(), session.Now)
            .Where(item => request?.ItemCodes is not { Length: > 0 } codes || codes.Contains(item.Code)).ToList();
        await AssessmentData.RequestSupplementaryAsync(session.Connection, session.Transaction, id,
            open.Select(item => item.Code).ToArray(), session.Now, request?.Note, session.Caller.UserId, session.Now);
        foreach (var item in open)
        {
            await session.AuditAsync(item.Code, "supplementaryDueAt", item.SupplementaryDueAt?.ToString("O"), session.Now.ToString("O"),
                request?.Note ?? "closed by the appraiser");
        }
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }

    private static IEnumerable<AssessmentItem> OpenRequests(IEnumerable<AssessmentItem> items, DateTimeOffset now) =>
        items.Where(item => item.SupplementaryDueAt > now);

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> SecondRoundAsync(Guid id, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await OpenForAppraisalAsync(id, http, dataSource, catalog, clock, AssessmentStatus.UnderAppraisal, "start the second appraisal of");
        if (session.Assessment.AppraisalRound != 1)
        {
            throw SubmissionProblems.SecondRoundStarted.With("The second appraisal round has already started.").ToException();
        }
        await session.ChangeAsync(current => current with { AppraisalRound = 2 });
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> FinalizeAsync(Guid id, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await OpenForAppraisalAsync(id, http, dataSource, catalog, clock, AssessmentStatus.UnderAppraisal, "finalise");
        // The unit was promised until the due date to supplement: finalising first would judge it on what it had not sent yet.
        if (OpenRequests(await session.ItemsAsync(), session.Now).ToList() is { Count: > 0 } open)
        {
            throw SubmissionProblems.SupplementaryOpen.With($"Requests for supplementary evidence are open until {open.Max(item => item.SupplementaryDueAt):u} on items " +
                $"{string.Join(", ", open.Select(item => item.Code))}: wait for their due date or close them (appraisal/supplementary/close) first.",
                SubmissionProblems.Items(open.Select(item => item.Code).ToList())).ToException();
        }
        await session.ChangeAsync(current => current with { Status = AssessmentStatus.Finalized, Revision = current.Revision + 1 });
        var finalized = session.Assessment;
        // An item the appraiser left alone keeps the self score: appraisal accepts or adjusts each self score.
        var scores = (await session.ItemsAsync())
            .Select(item => new AppraisedItemScore(item.Code, item.AppraisedScore ?? item.SelfScore ?? 0m)).ToList();
        await Outbox.EnqueueAsync(session.Connection, session.Transaction, new AppraisalFinalized(
            finalized.Id, finalized.RoundId, finalized.TenantId, finalized.UnitId, finalized.Revision, session.Now, scores));
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, finalized));
    }

    /// <summary>
    /// Reopening always needs a reason, kept in the audit log. A finalised appraisal goes back to appraisal (appraisers);
    /// a submitted or approved self-assessment goes back to draft (the unit's leader, while the window is open).
    /// </summary>
    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> ReopenAsync(Guid id, ReasonRequest request, HttpContext http,
        TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock)
    {
        await using var session = await AssessmentSession.OpenAsync(dataSource, id, Caller.Of(http), clock, http.RequestAborted);
        // Who may reopen at all comes first: the status (and the reason check) are no one else's business.
        Access.EnsureMayReopen(session.Caller, session.Assessment);
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw SubmissionProblems.ReasonRequired.With("Reopening needs an explicit reason.").ToException();
        }
        var round = await AssessmentWorkflow.RoundAsync(catalog, session.Assessment);
        string target;
        if (session.Assessment.Status == AssessmentStatus.Finalized)
        {
            Access.EnsureAppraiser(session.Caller, session.Assessment);
            Access.EnsureAppraisalOpen(round, session.Now);
            target = AssessmentStatus.UnderAppraisal;
        }
        else if (session.Assessment.Status is AssessmentStatus.SubmittedForApproval or AssessmentStatus.Approved)
        {
            Access.EnsureLeader(session.Caller, session.Assessment);
            Access.EnsureSelfAssessmentOpen(round, session.Now);
            target = AssessmentStatus.Draft;
        }
        else
        {
            throw SubmissionProblems.WrongStatus(session.Assessment.Status, "reopen");
        }
        await session.ChangeAsync(current => current with { Status = target }, request.Reason);
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }
}
