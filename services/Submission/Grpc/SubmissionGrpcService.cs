using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Submission.V1;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Apis;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Grpc;

internal sealed class SubmissionGrpcService(ServiceInfoSource info, TenantDataSource dataSource, TimeProvider clock) : SubmissionService.SubmissionServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());

    public override async Task<AssessmentSummary> GetAssessment(GetAssessmentRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.RoundId, out var roundId) || !Guid.TryParse(request.UnitId, out var unitId))
        {
            throw SubmissionProblems.InvalidArgument.With("round_id and unit_id must be UUIDs.").ToRpcException();
        }
        var caller = Caller.From(context.GetHttpContext().User)
            ?? throw PlatformProblems.Unauthenticated.With("The call carries no platform identity.").ToRpcException();
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        var assessment = await AssessmentData.FindAsync(connection, roundId, unitId)
            ?? throw SubmissionProblems.NotFound($"Assessment of unit {unitId} in round {roundId}").Problem.ToRpcException();
        if (!Access.IsUnitMember(caller, assessment) && !Access.IsTenantOverseer(caller, assessment.TenantId))
        {
            throw SubmissionProblems.Forbidden("Only the unit itself and the round's appraisers and administrators may read this assessment.").Problem.ToRpcException();
        }
        var summary = new AssessmentSummary
        {
            Id = assessment.Id.ToString(), RoundId = request.RoundId, UnitId = request.UnitId, TenantId = assessment.TenantId,
            Status = assessment.Status, Revision = assessment.Revision,
        };
        var items = await AssessmentData.ItemsAsync(connection, assessment.Id);
        summary.Items.AddRange(items.Select(item => new ItemScore
        {
            Code = item.Code, SelfScore = AssessmentFigures.Text(item.SelfScore, assessment.PointDecimals) ?? "",
            AppraisedScore = AssessmentFigures.Text(item.AppraisedScore, assessment.PointDecimals) ?? "",
            EvidenceIds = { item.EvidenceIds.Select(evidence => evidence.ToString()) },
        }));
        var now = clock.GetUtcNow();
        if (assessment.Status == AssessmentStatus.UnderAppraisal &&
            items.Where(item => item.SupplementaryDueAt > now).Max(item => item.SupplementaryDueAt) is { } openUntil)
        {
            summary.SupplementaryOpenUntil = Timestamp.FromDateTimeOffset(openUntil);
        }
        return summary;
    }
}
