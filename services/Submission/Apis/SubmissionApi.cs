using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults;

namespace ParPlatform.Submission.Apis;

internal static class SubmissionApi
{
    public static RouteGroupBuilder MapSubmissionApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.Submission);
        var secured = api.MapGroup("").RequireAuthorization();
        secured.MapSelfAssessmentApi();
        secured.MapSheetApi();
        secured.MapAppraisalApi();
        secured.MapAuditApi();
        secured.MapProgressApi();
        return api;
    }
}

public sealed record AssessmentView(
    Guid Id, Guid RoundId, string TenantId, Guid UnitId, string Status, int AppraisalRound, int Revision,
    IReadOnlyList<Data.AssessmentItem> Items);

public sealed record ReasonRequest(string? Reason);
