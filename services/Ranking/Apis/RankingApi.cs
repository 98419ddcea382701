using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.Contracts;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Live;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Apis;

internal static class RankingApi
{
    public static RouteGroupBuilder MapRankingApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Ranking);
        var round = api.MapGroup("/rounds/{roundId:guid}").RequireAuthorization();
        round.MapGet("/live", GetLive);
        round.MapGet("/live/units/{unitId:guid}/what-if", GetWhatIf);
        round.MapPost("/publications", Publish);
        round.MapGet("/publications/{version}", GetPublished);
        round.MapGet("/publications/{version}/units/{unitId:guid}", GetPublishedUnit);
        round.MapExports();
        return api;
    }

    /// <summary>The group as it stands now, while the round is open. Never shown to ministry clients.</summary>
    public static async Task<Results<Ok<GroupTable>, ProblemHttpResult>> GetLive(
        Guid roundId, HttpContext http, RankingTables tables, CancellationToken cancellationToken)
    {
        if (await tables.LiveAsync(roundId, cancellationToken) is not { } live)
        {
            return Problems.RoundNotFound(roundId);
        }
        return Access.CanReadLive(Caller.Of(http), live.Round.Round.TenantId)
            ? TypedResults.Ok(live.Table)
            : Problems.Forbidden("read live results of this round");
    }

    /// <summary>"Phấn đấu đạt mức điểm tối đa": the largest gaps and the rank reached by closing the top ones.</summary>
    public static async Task<Results<Ok<WhatIfResult>, ProblemHttpResult>> GetWhatIf(
        Guid roundId, Guid unitId, HttpContext http, RankingTables tables, CancellationToken cancellationToken, int top = 5)
    {
        if (await tables.WhatIfAsync(roundId, unitId, Math.Clamp(top, 1, 100), cancellationToken) is not { } whatIf)
        {
            return Problems.UnitNotRanked(unitId);
        }
        return Access.CanSeeUnitLive(Caller.Of(http), whatIf.Round.Round.TenantId, unitId)
            ? TypedResults.Ok(whatIf.Result)
            : Problems.Forbidden("see this unit's live results");
    }

    public static async Task<Results<Created<PublishedSnapshot>, ProblemHttpResult>> Publish(
        Guid roundId, HttpContext http, RankingTables tables, Criteria.CriteriaDirectory criteria, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (await criteria.GetRoundAsync(roundId, cancellationToken) is not { } round)
        {
            return Problems.RoundNotFound(roundId);
        }
        if (!Access.CanPublish(caller, round.Round.TenantId))
        {
            return Problems.Forbidden("publish this round's ranking");
        }
        var published = (await tables.PublishAsync(roundId, caller.UserId, cancellationToken))!;
        return TypedResults.Created($"/api/ranking/rounds/{roundId}/publications/{published.Version}", published);
    }

    public static async Task<Results<Ok<PublishedSnapshot>, ProblemHttpResult>> GetPublished(
        Guid roundId, string version, HttpContext http, RankingTables tables) =>
        await LoadPublishedAsync(roundId, version, null, http, tables) switch
        {
            (null, var problem) => problem!,
            (var published, _) => TypedResults.Ok(published),
        };

    public static async Task<Results<Ok<GroupRow>, ProblemHttpResult>> GetPublishedUnit(
        Guid roundId, string version, Guid unitId, HttpContext http, RankingTables tables) =>
        await LoadPublishedAsync(roundId, version, unitId, http, tables) switch
        {
            (null, var problem) => problem!,
            ({ Table.Rows: [var row] }, _) => TypedResults.Ok(row),
            _ => Problems.UnitNotRanked(unitId),
        };

    /// <summary>A published snapshot the caller may read ("latest" or a version number), or the problem why not.</summary>
    public static async Task<(PublishedSnapshot?, ProblemHttpResult?)> LoadPublishedAsync(
        Guid roundId, string version, Guid? unitId, HttpContext http, RankingTables tables)
    {
        int? number = version == "latest" ? null : int.TryParse(version, out var parsed) && parsed > 0 ? parsed : -1;
        if (number == -1)
        {
            return (null, Problems.InvalidVersion(version));
        }
        var published = await tables.PublishedAsync(roundId, number, unitId);
        if (published is null)
        {
            return (null, Problems.NotPublished(roundId, version));
        }
        return Access.CanReadPublished(Caller.Of(http), published.Table.TenantId)
            ? (published, null)
            : (null, Problems.Forbidden("read this tenant's rankings"));
    }
}
