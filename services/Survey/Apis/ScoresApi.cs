using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

public sealed record IntakeStatus(
    long Accepted, long Stored, long Backlog, long AcceptedLastMinute, long StoredLastMinute, long QueueDepth, long ErrorQueueDepth);

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
    private static async Task<Results<Ok<IReadOnlyList<UnitScores>>, ProblemHttpResult>> GetScoresAsync(
        Guid roundId, Guid? unitId, HttpContext http, ScoreData scores, CriteriaCatalog criteria, CancellationToken cancellationToken)
    {
        var scope = await ScoreAccess.ScopeAsync(Caller.Of(http), roundId, unitId, criteria, cancellationToken);
        return scope.Refused
            ? ScoreAccess.Problem(scope)
            : TypedResults.Ok(await scores.GetAsync(scope.TenantId, roundId, scope.UnitId, cancellationToken));
    }

    /// <summary>For operators: accepted vs stored (the backlog), the last minute's rates and the broker's queue depths.</summary>
    private static async Task<Results<Ok<IntakeStatus>, ProblemHttpResult>> GetIntakeStatusAsync(
        HttpContext http, TenantDataSource dataSource, IConfiguration configuration, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.SurveyOperator))
        {
            return Problems.Forbidden();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var since = clock.GetUtcNow().AddMinutes(-1);
        var tenantId = caller.IsNational ? null : caller.TenantId;
        var status = await connection.QuerySingleAsync<(long Accepted, long Stored, long AcceptedLastMinute, long StoredLastMinute)>(
            """
            SELECT (SELECT count(*) FROM intake_receipts WHERE @tenantId::text IS NULL OR tenant_id = @tenantId),
                   (SELECT count(*) FROM responses WHERE @tenantId::text IS NULL OR tenant_id = @tenantId),
                   (SELECT count(*) FROM intake_receipts WHERE accepted_at >= @since AND (@tenantId::text IS NULL OR tenant_id = @tenantId)),
                   (SELECT count(*) FROM responses WHERE stored_at >= @since AND (@tenantId::text IS NULL OR tenant_id = @tenantId))
            """, new { tenantId, since });
        var (queue, errors) = await ResponsesQueueDeclarer.DepthAsync(configuration, cancellationToken);
        return TypedResults.Ok(new IntakeStatus(
            status.Accepted, status.Stored, status.Accepted - status.Stored, status.AcceptedLastMinute, status.StoredLastMinute,
            queue, errors));
    }
}
