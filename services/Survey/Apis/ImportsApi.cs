using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

internal static class ImportsApi
{
    private const long MaxCsvBytes = 1L << 30;

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/questionnaires/{questionnaireId:guid}/imports/{batch}").RequireAuthorization();
        group.MapPost("/", ImportAsync).Accepts<Stream>("text/csv");
        group.MapGet("/", GetAsync);
        group.MapGet("/errors", ErrorsAsync);
        return group;
    }

    /// <summary>Streams the CSV body through intake; progress is readable at the same address while it runs.</summary>
    private static async Task<Results<Ok<ImportJob>, ForbiddenProblem, NotFoundProblem, UnprocessableProblem>> ImportAsync(
        Guid questionnaireId, string batch, HttpContext http, QuestionnaireData questionnaires, CsvImporter importer,
        ImportData jobs, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(ResponsesApi.Submitters))
        {
            return SurveyProblems.Forbidden();
        }
        if (await questionnaires.FindAsync(questionnaireId, cancellationToken) is not { IsPublished: true } questionnaire
            || questionnaire.TenantId != caller.TenantId)
        {
            return SurveyProblems.QuestionnaireNotFound.With($"No published questionnaire {questionnaireId} in your tenant.");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxCsvBytes;
        }
        var error = await importer.RunAsync(caller.TenantId, questionnaire, batch, http.Request.Body, cancellationToken);
        var job = (await jobs.FindAsync(caller.TenantId, questionnaireId, batch, cancellationToken))!;
        return error is null
            ? TypedResults.Ok(job)
            : SurveyProblems.Rejected(error.Split(':')[0], error, new Dictionary<string, object?> { ["job"] = job });
    }

    private static async Task<Results<Ok<ImportJob>, NotFoundProblem>> GetAsync(
        Guid questionnaireId, string batch, HttpContext http, ImportData jobs, CancellationToken cancellationToken) =>
        await jobs.FindAsync(Caller.Of(http).TenantId, questionnaireId, batch, cancellationToken) is { } job
            ? TypedResults.Ok(job)
            : SurveyProblems.NotFound("Import");

    /// <summary>The row-level error report as CSV (row, response id, reason, detail).</summary>
    private static async Task<FileContentHttpResult> ErrorsAsync(
        Guid questionnaireId, string batch, HttpContext http, ImportData jobs, CancellationToken cancellationToken)
    {
        var report = new StringBuilder("row,response_id,reason,detail\n");
        foreach (var error in await jobs.ErrorsAsync(Caller.Of(http).TenantId, questionnaireId, batch, cancellationToken))
        {
            report.Append(error.RowNumber).Append(',').Append(Quote(error.ResponseId)).Append(',').Append(error.Reason)
                .Append(',').Append(Quote(error.Detail)).Append('\n');
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(report.ToString()), "text/csv; charset=utf-8", $"{batch}-errors.csv");
    }

    private static string Quote(string value) => $"\"{value.Replace("\"", "\"\"")}\"";
}
