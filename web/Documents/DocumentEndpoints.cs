using ParPlatform.Web.Features.Appraisal;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Documents;

/// <summary>The DOCX documents a page links to, made here from what the services answer the user (their rules hold).</summary>
internal static class DocumentEndpoints
{
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static void MapDocuments(this RouteGroupBuilder files)
    {
        files.MapGet("/assessments/{id:guid}/report.docx", (Guid id, PlatformApi api, HttpContext context) => AnswerAsync(context, async () =>
        {
            var assessment = await api.GetAsync<AssessmentDetail>($"api/submission/assessments/{id}");
            var round = await api.GetAsync<RoundView>($"api/criteria/rounds/{assessment.RoundId}");
            var units = await api.GetAsync<List<RoundUnitView>>($"api/criteria/rounds/{assessment.RoundId}/units");
            var unit = units.FirstOrDefault(entry => entry.Unit.Id == assessment.UnitId)?.Unit.Name ?? "";
            return (Reports.SelfAssessment(await IssuerAsync(api, assessment.TenantId), round, unit, assessment, Today()), $"bao-cao-tu-danh-gia-{round.Year}.docx");
        }));
        files.MapGet("/rounds/{id:guid}/publications/{version:int}/annex.docx", (Guid id, int version, PlatformApi api, HttpContext context) => AnswerAsync(context, async () =>
        {
            var publication = await api.GetAsync<PublicationView>($"api/ranking/rounds/{id}/publications/{version}");
            return (Reports.Annex(await IssuerAsync(api, publication.Table.TenantId), publication, Today()), $"phu-luc-ket-qua-{publication.Table.Year}-lan-{version}.docx");
        }));
    }

    /// <summary>The province that issues the document: the tenant the data belongs to, which for a ministry reader is not its own.</summary>
    private static async Task<Issuer> IssuerAsync(PlatformApi api, string tenant) =>
        Issuer.Of(await api.GetAsync<TenantView>($"api/identity/tenants/{Uri.EscapeDataString(tenant)}"));

    private static DateTime Today() => Ui.InVietnam(DateTimeOffset.UtcNow).DateTime;

    /// <summary>A document, or the relays' answer to a refusal (<see cref="ConsoleEndpoints.Refusal"/>).</summary>
    private static async Task<IResult> AnswerAsync(HttpContext context, Func<Task<(byte[] Content, string Name)>> make)
    {
        try
        {
            var (content, name) = await make();
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(content, DocxType, name);
        }
        catch (ApiProblem problem)
        {
            return ConsoleEndpoints.Refusal(problem);
        }
    }
}
