using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Survey.Criteria;

namespace ParPlatform.Survey.Apis;

/// <summary>Which units' survey points a caller may read, or why not.</summary>
internal sealed record ScoreScope(string? TenantId, Guid? UnitId, int RefusedWith = 0, string? Reason = null)
{
    public bool Refused => RefusedWith != 0;
}

/// <summary>
/// Who may read a round's survey points (unpublished until the ranking publishes them): the tenant's admins (and the
/// Ministry), its appraisers and its survey operators, any unit of the tenant; a unit's own officer and leader their
/// own unit's only, and only where the round says so (<c>survey_scores_visible_to_units</c>). Everyone else, the
/// submit-only survey partner, the ministry client (published results only) and viewers included, is refused.
/// </summary>
internal static class ScoreAccess
{
    public static readonly string[] TenantReaders =
        [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.Appraiser, PlatformRoles.SurveyOperator];

    public static readonly string[] UnitReaders = [PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader];

    public static async Task<ScoreScope> ScopeAsync(
        Caller caller, Guid roundId, Guid? unitId, CriteriaClient criteria, CancellationToken cancellationToken)
    {
        if (caller.HasRole(TenantReaders))
        {
            return new ScoreScope(caller.IsNational ? null : caller.TenantId, unitId);
        }
        if (!caller.HasRole(UnitReaders) || !Guid.TryParse(caller.UnitId, out var ownUnit))
        {
            return new ScoreScope(null, null, StatusCodes.Status403Forbidden, "Your role may not read unpublished survey points.");
        }
        if (unitId is { } asked && asked != ownUnit)
        {
            return new ScoreScope(null, null, StatusCodes.Status403Forbidden, "A unit's officials may read only their own unit's survey points.");
        }
        ParPlatform.Contracts.Criteria.V1.Round? round;
        try
        {
            round = await criteria.GetRoundAsync(roundId, cancellationToken);
        }
        catch (CriteriaUnavailableException)
        {
            return new ScoreScope(null, null, StatusCodes.Status503ServiceUnavailable, "criteria");
        }
        if (round is null || round.TenantId != caller.TenantId)
        {
            return new ScoreScope(null, null, StatusCodes.Status404NotFound, "Round");
        }
        return round.SurveyScoresVisibleToUnits
            ? new ScoreScope(caller.TenantId, ownUnit)
            : new ScoreScope(null, null, StatusCodes.Status403Forbidden,
                "This round does not show units their survey points before publication.");
    }

    /// <summary>Why the scope was refused: the same problem over REST (403, 404, 503) and gRPC.</summary>
    public static Problem Refusal(ScoreScope scope) => scope.RefusedWith switch
    {
        StatusCodes.Status404NotFound => SurveyProblems.NotFound(scope.Reason!),
        StatusCodes.Status503ServiceUnavailable => SurveyProblems.CriteriaUnavailable(),
        _ => SurveyProblems.Forbidden(scope.Reason!),
    };
}
