using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

/// <summary>Operations on the intake pipeline (the status itself is <c>GET /ops/intake</c>, in <see cref="ScoresApi"/>).</summary>
internal static class OpsApi
{
    /// <summary>Who may look at and repair the intake: the same roles as <c>/ops/intake</c>.</summary>
    public static readonly string[] Operators = [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.SurveyOperator];

    public static RouteGroupBuilder MapOpsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/ops").RequireAuthorization();
        group.MapPost("/error-queue/replay", ReplayAsync);
        return group;
    }

    /// <summary>
    /// Moves the error queue's messages back to the workers once the cause is fixed: every tenant's for national
    /// callers, only the caller's own tenant's otherwise (the others stay in the error queue).
    /// </summary>
    private static async Task<Results<Ok<ReplayResult>, ForbiddenProblem>> ReplayAsync(
        HttpContext http, ErrorQueueReplayer replayer, ILogger<ErrorQueueReplayer> logger, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Operators))
        {
            return SurveyProblems.Forbidden();
        }
        var result = await replayer.ReplayAsync(caller.IsNational ? null : caller.TenantId, cancellationToken);
        logger.LogWarning("{User} ({Role}, {Tenant}) replayed {Replayed} message(s) from {Queue}; {Kept} of other tenants kept, {Remaining} remain",
            caller.UserId, caller.Role, caller.TenantId, result.Replayed, IntakeService.ErrorQueue, result.Kept, result.Remaining);
        return TypedResults.Ok(result);
    }
}
