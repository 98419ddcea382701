using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using Npgsql;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Criteria;
using ParPlatform.Submission.Data;
using ParPlatform.Submission.Evidence;

namespace ParPlatform.Submission.Apis;

public sealed record SheetRowError(int Row, string? Code, string Type, string Detail);

/// <summary>
/// The unit's self-assessment sheet as Excel (one row per sub-criterion), because many units prepare it offline.
/// The import goes through exactly the rules of the item API; every bad row is reported and then nothing is saved.
/// </summary>
internal static class SheetApi
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const long MaxSheetBytes = 5 * 1024 * 1024;
    private const string Code = "Mã", Field = "Lĩnh vực", Name = "Tiêu chí thành phần", Max = "Điểm tối đa", Min = "Điểm tối thiểu",
        EvidenceRequired = "Bắt buộc tài liệu kiểm chứng", SelfScore = "Điểm tự chấm", Explanation = "Giải trình",
        Evidence = "Tài liệu kiểm chứng (mã)";

    public static void MapSheetApi(this RouteGroupBuilder api)
    {
        api.MapGet("/assessments/{id:guid}/sheet.xlsx", ExportAsync);
        api.MapPut("/assessments/{id:guid}/sheet.xlsx", ImportAsync);
    }

    private static async Task<Results<FileContentHttpResult, ForbiddenProblem, NotFoundProblem>> ExportAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var assessment = await AssessmentData.GetAsync(connection, id) ?? throw SubmissionProblems.NotFound($"Assessment {id}");
        Access.EnsureCanRead(Caller.Of(http), assessment);
        var rows = (await AssessmentData.ItemsAsync(connection, id)).Select(item => new Dictionary<string, object?>
        {
            [Code] = item.Code, [Field] = item.FieldName, [Name] = item.Name,
            [Max] = Figures.Shown(item.MaxPoints, assessment.PointDecimals), [Min] = Figures.Shown(item.MinPoints, assessment.PointDecimals),
            [EvidenceRequired] = item.EvidenceRequired ? "Có" : "Không", [SelfScore] = AssessmentFigures.Shown(item.SelfScore, assessment.PointDecimals),
            [Explanation] = item.Explanation,
            [Evidence] = string.Join(' ', item.EvidenceIds),
        });
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows, sheetName: "Tu cham diem");
        return TypedResults.File(buffer.ToArray(), XlsxType, $"tu-danh-gia-{id}.xlsx");
    }

    private static async Task<Results<Ok<AssessmentView>, ForbiddenProblem, NotFoundProblem, ConflictProblem, PayloadTooLargeProblem, UnprocessableProblem>> ImportAsync(Guid id, HttpContext http, TenantDataSource dataSource,
        CriteriaClient catalog, EvidenceVerifier evidence, TimeProvider clock)
    {
        if (http.Request.ContentLength > MaxSheetBytes)
        {
            throw SubmissionProblems.SheetTooLarge.With($"A sheet may be at most {MaxSheetBytes} bytes.").ToException();
        }
        // A sheet is small and the reader needs to seek (xlsx is a zip): buffering it is fine.
        using var sheet = new MemoryStream();
        await http.Request.Body.CopyToAsync(sheet);
        sheet.Position = 0;

        await using var session = await AssessmentSession.OpenAsync(dataSource, id, Caller.Of(http), clock, http.RequestAborted);
        Access.EnsureUnitMember(session.Caller, session.Assessment);
        var round = await AssessmentWorkflow.RoundAsync(catalog, session.Assessment);
        var items = (await session.ItemsAsync()).ToDictionary(item => item.Code);
        var errors = new List<SheetRowError>();
        var seen = new HashSet<string>();
        List<IDictionary<string, object?>> rows;
        try
        {
            rows = (await sheet.QueryAsync(useHeaderRow: true)).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException or NotSupportedException)
        {
            throw SubmissionProblems.SheetUnreadable.With(exception.Message).ToException();
        }

        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            var number = index + 2; // row 1 is the header
            var code = Text(row, Code);
            if (code is null || !items.TryGetValue(code, out var item) || !seen.Add(code))
            {
                errors.Add(new SheetRowError(number, code, "urn:par:submission:unknown-item", "Unknown or repeated item code."));
                continue;
            }
            if (!TryParse(row, out var update, out var parseError))
            {
                errors.Add(new SheetRowError(number, code, "urn:par:submission:sheet-value", parseError!));
                continue;
            }
            if (IsUnchanged(item, update))
            {
                continue;
            }
            try
            {
                await AssessmentWorkflow.ApplyItemUpdateAsync(session, round, item, update, evidence);
            }
            catch (ProblemException refused)
            {
                errors.Add(new SheetRowError(number, code, refused.Problem.Kind.Type, refused.Problem.Detail));
            }
        }
        if (errors.Count > 0)
        {
            throw SubmissionProblems.SheetInvalid.With($"{errors.Count} row(s) refused; nothing was saved.", SubmissionProblems.Items(errors)).ToException();
        }
        await session.CommitAsync();
        return TypedResults.Ok(await AssessmentWorkflow.ViewAsync(session.Connection, session.Assessment));
    }

    private static bool TryParse(IDictionary<string, object?> row, out ItemUpdate update, out string? error)
    {
        update = new ItemUpdate(null, Text(row, Explanation), []);
        error = null;
        decimal? score = null;
        // Excel numbers arrive as doubles, typed text as strings: both go through their invariant text, which for a
        // double is its shortest round-trip form ("0.25", "1.1"), so no binary fraction reaches the score.
        if (Text(row, SelfScore) is { } text)
        {
            if (!decimal.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                error = $"'{text}' is not a number.";
                return false;
            }
            score = parsed;
        }
        var ids = new List<Guid>();
        foreach (var token in (Text(row, Evidence) ?? "").Split([' ', ',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Guid.TryParse(token, out var guid))
            {
                error = $"'{token}' is not an evidence id.";
                return false;
            }
            ids.Add(guid);
        }
        update = update with { SelfScore = score, EvidenceIds = [.. ids] };
        return true;
    }

    private static bool IsUnchanged(AssessmentItem item, ItemUpdate update) =>
        item.SelfScore == update.SelfScore &&
        (item.Explanation ?? "") == (update.Explanation ?? "") &&
        item.EvidenceIds.Order().SequenceEqual((update.EvidenceIds ?? []).Distinct().Order());

    private static string? Text(IDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text.Trim() : null;
}
