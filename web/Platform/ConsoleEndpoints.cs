using Microsoft.AspNetCore.Localization;

namespace ParPlatform.Web.Platform;

/// <summary>The console's few non-page endpoints: the language switch and the files a page links to (evidence,
/// sheets), which the browser cannot fetch from the services itself because it holds no token.</summary>
internal static class ConsoleEndpoints
{
    private static readonly HashSet<string> InlineTypes = ["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"];

    public static void MapConsoleEndpoints(this WebApplication app)
    {
        app.MapGet("/culture", (string name, string? returnUrl, HttpContext context) =>
        {
            if (Ui.Cultures.Contains(name))
            {
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            }
            return Results.LocalRedirect(returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//") ? url : "/");
        }).AllowAnonymous();

        var files = app.MapGroup("/files").RequireAuthorization();
        // Evidence opened in the page (PDF and images inline) or downloaded; the services decide who may read it.
        files.MapGet("/evidence/{id:guid}", (Guid id, bool? download, PlatformApi api, HttpContext context) =>
            RelayAsync(api, $"api/evidence-storage/evidence/{id}/content", context, inline: download != true));
        files.MapGet("/assessments/{id:guid}/sheet.xlsx", (Guid id, PlatformApi api, HttpContext context) =>
            RelayAsync(api, $"api/submission/assessments/{id}/sheet.xlsx", context, inline: false));
        ParPlatform.Web.Documents.DocumentEndpoints.MapDocuments(files); // the DOCX report and annex (web/Documents)
        // A CSV import's row-level report (Features/Survey) and a criteria set as Excel (Features/Criteria).
        files.MapGet("/survey/questionnaires/{id:guid}/imports/{batch}/errors.csv", (Guid id, string batch, PlatformApi api, HttpContext context) =>
            RelayAsync(api, $"api/survey/questionnaires/{id}/imports/{Uri.EscapeDataString(batch)}/errors", context, inline: false));
        files.MapGet("/criteria/sets/{id:guid}/export.xlsx", (Guid id, PlatformApi api, HttpContext context) =>
            RelayAsync(api, $"api/criteria/sets/{id}/export.xlsx", context, inline: false));
        // A published ranking table (Features/Ranking); the ranking service decides who may read it.
        files.MapGet("/rankings/{roundId:guid}/{version:int}/table.{format:regex(^(csv|xlsx)$)}", (Guid roundId, int version, string format, PlatformApi api, HttpContext context) =>
            RelayAsync(api, $"api/ranking/rounds/{roundId}/publications/{version}/table.{format}", context, inline: false));
    }

    /// <summary>How a console file endpoint answers a service's refusal: a lapsed session signs in again; a file the
    /// user may not read does not exist for them, the same answer as for an id that names nothing (some services say
    /// 403 within a tenant; the console does not pass that difference on); any other refusal as it came.</summary>
    internal static IResult Refusal(ApiProblem problem) => problem.Status switch
    {
        System.Net.HttpStatusCode.Unauthorized => Results.Challenge(),
        System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound),
        _ => Results.Problem(statusCode: (int)problem.Status, title: problem.Title, detail: problem.Detail, type: problem.Type),
    };

    private static async Task<IResult> RelayAsync(PlatformApi api, string path, HttpContext context, bool inline)
    {
        HttpResponseMessage response;
        try
        {
            response = await api.SendAsync(HttpMethod.Get, path, null, null, context.RequestAborted, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (ApiProblem problem)
        {
            return Refusal(problem);
        }
        context.Response.RegisterForDispose(response);
        var type = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "tep";
        context.Response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue(inline && InlineTypes.Contains(type) ? "inline" : "attachment")
        { FileNameStar = name }.ToString();
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.Stream(await response.Content.ReadAsStreamAsync(context.RequestAborted), type, enableRangeProcessing: false);
    }
}
