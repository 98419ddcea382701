using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.Ranking.Exports;
using ParPlatform.Ranking.Live;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Ranking.Apis;

/// <summary>CSV and XLSX of a published group table and of a unit's published scorecard.</summary>
internal static class ExportsApi
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder round)
    {
        round.MapGet("/publications/{version}/table.{format:regex(^(csv|xlsx)$)}", ExportTable);
        round.MapGet("/publications/{version}/units/{unitId:guid}/scorecard.{format:regex(^(csv|xlsx)$)}", ExportScorecard);
        return round;
    }

    public static async Task<Results<FileContentHttpResult, BadRequestProblem, NotFoundProblem, ForbiddenProblem>> ExportTable(
        Guid roundId, string version, string format, HttpContext http, RankingTables tables)
    {
        var published = await RankingApi.LoadPublishedAsync(roundId, version, null, http, tables);
        return File(RankingSheets.GroupTable(published), format, $"xep-hang-{published.Table.Year}-v{published.Version}");
    }

    public static async Task<Results<FileContentHttpResult, BadRequestProblem, NotFoundProblem, ForbiddenProblem>> ExportScorecard(
        Guid roundId, string version, Guid unitId, string format, HttpContext http, RankingTables tables)
    {
        var published = await RankingApi.LoadPublishedAsync(roundId, version, unitId, http, tables);
        return published.Table.Rows is [var row]
            ? File(RankingSheets.Scorecard(published, row), format,
                $"diem-{(string.IsNullOrEmpty(row.UnitCode) ? unitId.ToString() : row.UnitCode)}-{published.Table.Year}-v{published.Version}")
            : RankingProblems.UnitNotRanked(unitId);
    }

    private static FileContentHttpResult File(Workbook workbook, string format, string name) => format == "csv"
        ? TypedResults.File(workbook.ToCsv(), Workbook.CsvType, $"{name}.csv")
        : TypedResults.File(workbook.ToXlsx(), Workbook.XlsxType, $"{name}.xlsx");
}
