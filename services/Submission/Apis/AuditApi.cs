using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Apis;

/// <summary>The append-only audit log of an assessment, as JSON and as CSV for export.</summary>
internal static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/assessments/{id:guid}/audit", async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ForbiddenProblem, NotFoundProblem>> (Guid id, string? itemCode, HttpContext http, TenantDataSource dataSource) =>
            TypedResults.Ok(await ReadAsync(id, itemCode, http, dataSource)));

        api.MapGet("/assessments/{id:guid}/audit.csv", async Task<Results<FileContentHttpResult, ForbiddenProblem, NotFoundProblem>> (Guid id, string? itemCode, HttpContext http, TenantDataSource dataSource) =>
        {
            var csv = new StringBuilder("id,at,user,name,role,item,field,before,after,reason\r\n");
            foreach (var entry in await ReadAsync(id, itemCode, http, dataSource))
            {
                csv.AppendJoin(',', entry.Id.ToString(), entry.At.ToString("O"), Escape(entry.UserId), Escape(entry.UserName), Escape(entry.Role),
                    Escape(entry.ItemCode), Escape(entry.Field), Escape(entry.Before), Escape(entry.After), Escape(entry.Reason)).Append("\r\n");
            }
            // UTF-8 with BOM so Excel shows Vietnamese text correctly.
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
            return TypedResults.File(bytes, "text/csv; charset=utf-8", $"audit-{id}.csv");
        });
    }

    /// <param name="itemCode">One item's history only (<c>?itemCode=1.1.1</c>): who changed it, when, before and after.</param>
    private static async Task<IReadOnlyList<AuditEntry>> ReadAsync(Guid id, string? itemCode, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var assessment = await AssessmentData.GetAsync(connection, id) ?? throw SubmissionProblems.NotFound($"Assessment {id}");
        Access.EnsureCanRead(Caller.Of(http), assessment);
        return await AssessmentData.AuditLogAsync(connection, id, string.IsNullOrWhiteSpace(itemCode) ? null : itemCode);
    }

    // RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs a cell as a formula.
    private static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
