using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.ImportExport;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Criteria.Apis;

/// <summary>
/// Administering sets: drafts are created (JSON or Excel import), replaced and deleted; publishing freezes a set
/// forever; any later edit is refused with 409 <see cref="CriteriaProblems.Immutable"/> (urn:par:criteria:set-immutable).
/// </summary>
internal static class SetAdminApi
{
    public static void MapSetAdminApi(this RouteGroupBuilder sets)
    {
        sets.MapPost("/", (CriteriaSetDefinition body, HttpContext http, SetWriter writer) => writer.CreateAsync(Caller.Of(http), body, cancellationToken: http.RequestAborted));
        sets.MapPost("/import.xlsx", ImportExcel).Accepts<Stream>(SetsApi.XlsxMediaType);
        sets.MapPost("/validate", (CriteriaSetDefinition body) =>
            SetValidator.Validate(Tree.Normalize(body)) is { Count: > 0 } errors
                ? (Results<NoContent, BadRequestProblem>)CriteriaProblems.Invalid(errors)
                : TypedResults.NoContent());
        sets.MapPut("/{id:guid}", (Guid id, CriteriaSetDefinition body, HttpContext http, SetWriter writer) =>
            writer.ReplaceAsync(Caller.Of(http), id, body, http.Request.Headers.IfMatch.ToString(), http.RequestAborted));
        sets.MapPut("/{id:guid}/xlsx", ReplaceFromExcel).Accepts<Stream>(SetsApi.XlsxMediaType);
        sets.MapDelete("/{id:guid}", (Guid id, HttpContext http, SetWriter writer) => writer.DeleteAsync(Caller.Of(http), id, http.RequestAborted));
        sets.MapPost("/{id:guid}/publish", (Guid id, HttpContext http, SetWriter writer) =>
            writer.TransitionAsync(Caller.Of(http), id, SetStatus.Draft, SetStatus.Published, http.RequestAborted));
        sets.MapPost("/{id:guid}/retire", (Guid id, HttpContext http, SetWriter writer) =>
            writer.TransitionAsync(Caller.Of(http), id, SetStatus.Published, SetStatus.Retired, http.RequestAborted));
        sets.MapPost("/{id:guid}/clone", Clone).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public sealed record CloneRequest(int Year, string? Code = null, string? Name = null);

    private static async Task<Results<Created<CriteriaSet>, ForbiddenProblem, BadRequestProblem, ConflictProblem>> ImportExcel(HttpContext http, SetWriter writer)
    {
        // Authorization before the workbook is even read: no one else learns what the importer thinks of a file.
        if (!Access.IsAdministrator(Caller.Of(http))) return CriteriaProblems.Forbidden("Only administrators create criteria sets.");
        var (set, errors) = await ReadWorkbookAsync(http.Request);
        return set is null ? CriteriaProblems.Invalid(errors, "The workbook cannot be read; nothing was saved.") : await writer.CreateAsync(Caller.Of(http), set, cancellationToken: http.RequestAborted);
    }

    private static async Task<Results<Ok<CriteriaSet>, NotFoundProblem, ForbiddenProblem, ConflictProblem, PreconditionFailedProblem, BadRequestProblem>> ReplaceFromExcel(Guid id, HttpContext http, SetReader reader, SetWriter writer)
    {
        // The set's access rules first (the writer checks them again under its row lock), then the workbook.
        var current = await SetsApi.ReadableAsync(id, http, reader);
        if (current is null) return CriteriaProblems.NotFound("Criteria set");
        if (!Access.CanAdminister(Caller.Of(http), current.TenantId)) return CriteriaProblems.Forbidden($"Set {id} belongs to tenant {current.TenantId}.");
        var (set, errors) = await ReadWorkbookAsync(http.Request);
        return set is null
            ? CriteriaProblems.Invalid(errors, "The workbook cannot be read; nothing was saved.")
            : await writer.ReplaceAsync(Caller.Of(http), id, set, http.Request.Headers.IfMatch.ToString(), http.RequestAborted);
    }

    /// <summary>Copies a readable set (last year's, or a national one) into a new draft of the caller's tenant.</summary>
    /// <remarks>The source's 404 is thrown (the union is the writer's): declared with <c>ProducesProblem</c> where it is mapped.</remarks>
    private static async Task<Results<Created<CriteriaSet>, ForbiddenProblem, BadRequestProblem, ConflictProblem>> Clone(
        Guid id, CloneRequest body, HttpContext http, SetReader reader, SetWriter writer)
    {
        var source = await SetsApi.ReadableAsync(id, http, reader) ?? throw CriteriaProblems.NotFound("Criteria set").ToException();
        var copy = source.Definition with
        {
            Year = body.Year,
            Code = string.IsNullOrWhiteSpace(body.Code) ? WithYear(source.Definition.Code, source.Definition.Year, body.Year) : body.Code,
            Name = string.IsNullOrWhiteSpace(body.Name) ? WithYear(source.Definition.Name, source.Definition.Year, body.Year) : body.Name,
        };
        return await writer.CreateAsync(Caller.Of(http), copy, clonedFrom: source.Id, http.RequestAborted);
    }

    /// <summary>
    /// Last year's "QN-SO-2025" / "... năm 2025" becomes "QN-SO-2026" / "... năm 2026": every occurrence of the source
    /// year as a whole number (not inside "20251") is replaced by the target year, including one in a cited decision
    /// number ("12/2025/QĐ-UBND"); the caller passes code or name to say otherwise. Text without the year is kept.
    /// </summary>
    internal static string WithYear(string text, int fromYear, int toYear) =>
        Regex.Replace(text, $@"(?<![0-9]){fromYear}(?![0-9])", toYear.ToString(CultureInfo.InvariantCulture));

    private static async Task<(CriteriaSetDefinition?, Dictionary<string, string[]>)> ReadWorkbookAsync(HttpRequest request)
    {
        // The reader needs a seekable stream and Kestrel forbids synchronous body reads.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return SetExcel.Read(buffer);
    }
}
