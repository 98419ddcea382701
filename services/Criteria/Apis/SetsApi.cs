using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.ImportExport;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Criteria.Apis;

/// <summary>Reading criteria sets: the tree (cacheable by ETag), exports, and the diff between two sets.</summary>
internal static class SetsApi
{
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static RouteGroupBuilder MapSetsApi(this RouteGroupBuilder api)
    {
        var sets = api.MapGroup("/sets").WithTags("Criteria sets").RequireAuthorization();
        sets.MapGet("/", ListSets);
        sets.MapGet("/{id:guid}", GetSet);
        sets.MapGet("/{id:guid}/export", ExportJson);
        sets.MapGet("/{id:guid}/export.xlsx", ExportExcel);
        sets.MapGet("/{id:guid}/diff", Diff);
        sets.MapSetAdminApi();
        return api;
    }

    private static async Task<Ok<IReadOnlyList<SetData.SetSummary>>> ListSets(HttpContext http, TenantDataSource dataSource, int? year)
    {
        var caller = Caller.Of(http);
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await SetData.ListAsync(connection, caller.TenantId, caller.IsNational, year));
    }

    /// <summary>The whole tree. Clients send If-None-Match with the ETag they hold and get 304 when it still applies.</summary>
    private static async Task<Results<Ok<CriteriaSet>, StatusCodeHttpResult, NotFoundProblem>> GetSet(Guid id, HttpContext http, SetReader reader)
    {
        var set = await ReadableAsync(id, http, reader);
        if (set is null) return CriteriaProblems.NotFound("Criteria set");
        http.Response.Headers.ETag = set.ETag;
        http.Response.Headers.CacheControl = set.Status == SetStatus.Draft ? "private, no-cache" : "private, max-age=300";
        return http.Request.Headers.IfNoneMatch.Contains(set.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(set);
    }

    private static async Task<Results<FileContentHttpResult, NotFoundProblem>> ExportJson(Guid id, HttpContext http, SetReader reader)
    {
        var set = await ReadableAsync(id, http, reader);
        return set is null
            ? CriteriaProblems.NotFound("Criteria set")
            : TypedResults.File(Encoding.UTF8.GetBytes(SetJson.Write(set.Definition)), "application/json", FileName(set, "json"));
    }

    private static async Task<Results<FileContentHttpResult, NotFoundProblem>> ExportExcel(Guid id, HttpContext http, SetReader reader)
    {
        var set = await ReadableAsync(id, http, reader);
        return set is null
            ? CriteriaProblems.NotFound("Criteria set")
            : TypedResults.File(SetExcel.Write(set.Definition), XlsxMediaType, FileName(set, "xlsx"));
    }

    /// <summary>What changed from <paramref name="from"/> (usually last year's set) to this one.</summary>
    private static async Task<Results<Ok<SetDiff>, NotFoundProblem>> Diff(Guid id, [FromQuery] Guid from, HttpContext http, SetReader reader)
    {
        var current = await ReadableAsync(id, http, reader);
        var previous = await ReadableAsync(from, http, reader);
        return current is null || previous is null
            ? CriteriaProblems.NotFound("Criteria set")
            : TypedResults.Ok(SetDiff.Between(previous, current));
    }

    public static async Task<CriteriaSet?> ReadableAsync(Guid id, HttpContext http, SetReader reader) =>
        await reader.GetAsync(id, http.RequestAborted) is { } set && Access.CanRead(Caller.Of(http), set.TenantId, set.Status) ? set : null;

    private static string FileName(CriteriaSet set, string extension) => $"{set.Definition.Code}-{set.Definition.Year}-v{set.Version}.{extension}";
}
