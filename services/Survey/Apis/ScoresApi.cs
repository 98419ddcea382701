using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

internal static class ScoresApi
{
    public static RouteGroupBuilder MapScoresApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/").RequireAuthorization();
        group.MapGet("/rounds/{roundId:guid}/scores", GetScoresAsync);
        group.MapGet("/ops/intake", GetIntakeStatusAsync);
        return group;
    }

    /// <summary>Survey points per unit and sub-criterion (with per respondent group detail); one unit with ?unitId=.
    /// Who may read which units: <see cref="ScoreAccess"/>.</summary>
    private static async Task<Results<Ok<IReadOnlyList<UnitScores>>, ForbiddenProblem, NotFoundProblem, ServiceUnavailableProblem>> GetScoresAsync(
        Guid roundId, Guid? unitId, HttpContext http, ScoreData scores, CriteriaClient criteria, CancellationToken cancellationToken)
    {
        var scope = await ScoreAccess.ScopeAsync(Caller.Of(http), roundId, unitId, criteria, cancellationToken);
        if (scope.Refused)
        {
            throw ScoreAccess.Refusal(scope).ToException();
        }
        return TypedResults.Ok(await scores.GetAsync(scope.TenantId, roundId, scope.UnitId, cancellationToken));
    }

    /// <summary>For operators: accepted vs stored (the backlog), the last minute's rates, the broker's queue depths and the alarms.</summary>
    private static async Task<Results<Ok<IntakeStatus>, ForbiddenProblem>> GetIntakeStatusAsync(
        HttpContext http, IntakeMonitor monitor, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(OpsApi.Operators))
        {
            return SurveyProblems.Forbidden();
        }
        return TypedResults.Ok(await monitor.CheckAsync(caller.IsNational ? null : caller.TenantId, cancellationToken));
    }
}
