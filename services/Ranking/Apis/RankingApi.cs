using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.Contracts;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Live;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Ranking.Apis;

internal static class RankingApi
{
    public static RouteGroupBuilder MapRankingApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Ranking);
        api.MapGet("/rounds", ListPublications).RequireAuthorization();
        var round = api.MapGroup("/rounds/{roundId:guid}").RequireAuthorization();
        round.MapGet("/live", GetLive);
        round.MapGet("/live/units/{unitId:guid}", GetLiveUnit);
        round.MapGet("/live/units/{unitId:guid}/what-if", GetWhatIf);
        round.MapPost("/publications", Publish);
        round.MapGet("/publications/{version}", GetPublished);
        round.MapGet("/publications/{version}/units/{unitId:guid}", GetPublishedUnit);
        round.MapExports();
        return api;
    }

    /// <summary>
    /// The rounds that have a published ranking (latest version of each), for ministry systems to discover. National
    /// callers see every tenant's; a province's callers only their own tenant's.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<PublicationListing>>, ForbiddenProblem>> ListPublications(
        HttpContext http, RankingTables tables, int? year = null, string? tenant = null, string? rankingGroup = null)
    {
        if (Access.PublicationsTenant(Caller.Of(http), tenant) is not { } scope)
        {
            return RankingProblems.Forbidden("list another tenant's publications");
        }
        return TypedResults.Ok(await tables.ListPublishedAsync(year, scope.Tenant, string.IsNullOrWhiteSpace(rankingGroup) ? null : rankingGroup,
            http.RequestAborted));
    }

    /// <summary>
    /// The group as it stands now, while the round is open. Never shown to ministry clients. With <c>page</c> (and
    /// <c>pageSize</c>, <c>sort</c>, <c>q</c>, <c>band</c>) one page of the rows with the group's statistics
    /// (<see cref="LivePage"/>); without, the whole table.
    /// </summary>
    public static async Task<Results<JsonHttpResult<GroupTable>, JsonHttpResult<LivePage>, NotFoundProblem, ForbiddenProblem, BadRequestProblem>> GetLive(
        Guid roundId, HttpContext http, RankingTables tables, CriteriaClient criteria, CancellationToken cancellationToken,
        int? page = null, int? pageSize = null, string? sort = null, string? q = null, string? band = null)
    {
        var query = page is null && pageSize is null && sort is null && q is null && band is null
            ? null
            : new LivePageQuery(page ?? 1, pageSize ?? 50, string.IsNullOrWhiteSpace(sort) ? null : sort.Trim(), q, band);
        if (query?.Validate() is { Count: > 0 } errors)
        {
            return RankingProblems.InvalidPage(errors);
        }
        if (await criteria.GetRoundContextAsync(roundId, cancellationToken) is not { } round)
        {
            return RankingProblems.RoundNotFound(roundId);
        }
        if (!Access.CanReadLive(Caller.Of(http), round.Round.TenantId))
        {
            return RankingProblems.Forbidden("read live results of this round");
        }
        var table = await tables.LiveAsync(round, cancellationToken);
        return query is null
            ? FigureJson.Json(http, table, table.PointDecimals)
            : FigureJson.Json(http, query.Apply(table), table.PointDecimals);
    }

    /// <summary>
    /// One unit of the live group: its row (rank, change) with the whole scorecard, and the group's averages it is read
    /// against. Seen by whoever may see the unit's what-if; no other unit is named in it.
    /// </summary>
    public static async Task<Results<JsonHttpResult<LiveUnit>, NotFoundProblem, ForbiddenProblem>> GetLiveUnit(
        Guid roundId, Guid unitId, HttpContext http, RankingTables tables, CriteriaClient criteria, CancellationToken cancellationToken)
    {
        if (await criteria.GetRoundContextAsync(roundId, cancellationToken) is not { } round)
        {
            return RankingProblems.RoundNotFound(roundId);
        }
        if (!Access.CanSeeUnitLive(Caller.Of(http), round.Round.TenantId, unitId))
        {
            return RankingProblems.Forbidden("see this unit's live results");
        }
        var table = await tables.LiveAsync(round, cancellationToken);
        return await tables.LiveUnitAsync(table, unitId, cancellationToken) is { } unit
            ? FigureJson.Json(http, unit, table.PointDecimals)
            : RankingProblems.UnitNotRanked(unitId);
    }

    /// <summary>"Phấn đấu đạt mức điểm tối đa": the largest gaps and the rank reached by closing the top ones.</summary>
    public static async Task<Results<JsonHttpResult<WhatIfResult>, BadRequestProblem, NotFoundProblem, ForbiddenProblem>> GetWhatIf(
        Guid roundId, Guid unitId, HttpContext http, RankingTables tables, CancellationToken cancellationToken, int top = 5)
    {
        if (top is < 1 or > WhatIf.MaxTop)
        {
            return RankingProblems.InvalidTop(top);
        }
        if (await tables.WhatIfAsync(roundId, unitId, top, cancellationToken) is not { } whatIf)
        {
            return RankingProblems.UnitNotRanked(unitId);
        }
        return Access.CanSeeUnitLive(Caller.Of(http), whatIf.Round.Round.TenantId, unitId)
            ? FigureJson.Json(http, whatIf.Result, whatIf.Round.Set.PointDecimals)
            : RankingProblems.Forbidden("see this unit's live results");
    }

    /// <summary>
    /// Publishes the next version when every unit is finalised or excluded with a reason and the round's publication
    /// date has come (or an administrator gives a reason to publish earlier); 409 naming what blocks it otherwise.
    /// The body is optional: <c>{"exclusions": [{"unitId": ..., "reason": ...}], "earlyPublicationReason": ...}</c>.
    /// </summary>
    public static async Task<Results<JsonHttpResult<PublishedSnapshot>, NotFoundProblem, ForbiddenProblem, BadRequestProblem, ConflictProblem>> Publish(
        Guid roundId, HttpContext http, RankingTables tables, CriteriaClient criteria, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (await criteria.GetRoundContextAsync(roundId, cancellationToken) is not { } round)
        {
            return RankingProblems.RoundNotFound(roundId);
        }
        if (!Access.CanPublish(caller, round.Round.TenantId))
        {
            return RankingProblems.Forbidden("publish this round's ranking");
        }
        PublicationRequest request;
        try
        {
            request = http.Request.HasJsonContentType()
                ? await http.Request.ReadFromJsonAsync<PublicationRequest>(RankingJson.Options, cancellationToken) ?? new()
                : new();
        }
        catch (System.Text.Json.JsonException exception)
        {
            return RankingProblems.InvalidPublicationRequest(new() { ["body"] = [exception.Message] });
        }
        if (PublicationGuard.Validate(round, request) is { Count: > 0 } errors)
        {
            return RankingProblems.InvalidPublicationRequest(errors);
        }
        var outcome = await tables.PublishAsync(round, request, caller.UserId, cancellationToken);
        if (outcome.TooEarly)
        {
            return RankingProblems.PublicationTooEarly(round.Round.PublicationAt!.Value);
        }
        if (outcome.Blocking.Count > 0)
        {
            return RankingProblems.PublicationBlocked(outcome.Blocking);
        }
        var published = outcome.Published!;
        http.Response.Headers.Location = $"/api/ranking/rounds/{roundId}/publications/{published.Version}";
        return FigureJson.Json(http, published, published.Table.PointDecimals, StatusCodes.Status201Created);
    }

    /// <remarks>The problems of <see cref="LoadPublishedAsync"/> are thrown: the signature lists them.</remarks>
    public static async Task<Results<JsonHttpResult<PublishedSnapshot>, BadRequestProblem, NotFoundProblem, ForbiddenProblem>> GetPublished(
        Guid roundId, string version, HttpContext http, RankingTables tables)
    {
        var published = await LoadPublishedAsync(roundId, version, null, http, tables);
        return FigureJson.Json(http, published, published.Table.PointDecimals);
    }

    public static async Task<Results<JsonHttpResult<GroupRow>, BadRequestProblem, NotFoundProblem, ForbiddenProblem>> GetPublishedUnit(
        Guid roundId, string version, Guid unitId, HttpContext http, RankingTables tables) =>
        await LoadPublishedAsync(roundId, version, unitId, http, tables) switch
        {
            { Table.Rows: [var row] } published => FigureJson.Json(http, row, published.Table.PointDecimals),
            _ => RankingProblems.UnitNotRanked(unitId),
        };

    /// <summary>A published snapshot the caller may read ("latest" or a version number); throws the problem why not (400, 404, 403).</summary>
    public static async Task<PublishedSnapshot> LoadPublishedAsync(
        Guid roundId, string version, Guid? unitId, HttpContext http, RankingTables tables)
    {
        int? number = version == "latest" ? null : int.TryParse(version, out var parsed) && parsed > 0 ? parsed : -1;
        if (number == -1)
        {
            throw RankingProblems.InvalidVersion(version).ToException();
        }
        var published = await tables.PublishedAsync(roundId, number, unitId, http.RequestAborted)
            ?? throw RankingProblems.NotPublished(roundId, version).ToException();
        return Access.CanReadPublished(Caller.Of(http), published.Table.TenantId)
            ? published
            : throw RankingProblems.Forbidden("read this tenant's rankings").ToException();
    }
}
