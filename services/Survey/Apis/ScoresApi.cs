using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>Survey points per unit and sub-criterion (with per respondent group detail); one unit with ?unitId=.</summary>
    private static async Task<Ok<IReadOnlyList<UnitScores>>> GetScoresAsync(
        Guid roundId, Guid? unitId, HttpContext http, ScoreData scores, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        return TypedResults.Ok(await scores.GetAsync(caller.IsNational ? null : caller.TenantId, roundId, unitId, cancellationToken));
    }

    /// <summary>For operators: accepted vs stored (the backlog), the last minute's rates, the broker's queue depths and the alarms.</summary>
    private static async Task<Results<Ok<IntakeStatus>, ProblemHttpResult>> GetIntakeStatusAsync(
        HttpContext http, IntakeMonitor monitor, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(OpsApi.Operators))
        {
            return Problems.Forbidden();
        }
        return TypedResults.Ok(await monitor.CheckAsync(caller.IsNational ? null : caller.TenantId, cancellationToken));
    }
}
