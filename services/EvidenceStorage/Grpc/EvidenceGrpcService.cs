using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Evidence.V1;
using ParPlatform.EvidenceStorage.Data;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.EvidenceStorage.Grpc;

internal sealed class EvidenceGrpcService(ServiceInfoSource info, TenantDataSource dataSource) : EvidenceService.EvidenceServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());

    /// <summary>
    /// For other services (submission checks references; they call inside the cluster without a caller and apply
    /// their own tenant and unit rules). A call that carries a caller (every call through the gateway) gets only the
    /// evidence that caller may read over REST: another tenant or unit learns nothing, not even that an id exists.
    /// </summary>
    public override async Task<GetEvidenceMetadataReply> GetEvidenceMetadata(GetEvidenceMetadataRequest request, ServerCallContext context)
    {
        if (request.Ids.Count > 1000)
        {
            throw EvidenceProblems.InvalidArgument.With("At most 1000 ids per call.").ToRpcException();
        }
        var ids = request.Ids.Select(id => Guid.TryParse(id, out var guid) ? guid : Guid.Empty).Where(id => id != Guid.Empty).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        var reply = new GetEvidenceMetadataReply();
        var caller = Caller.From(context.GetHttpContext().User);
        var found = (await EvidenceData.GetManyAsync(connection, ids))
            .Where(evidence => caller is null || Apis.EvidenceStorageApi.CanRead(caller, evidence));
        reply.Items.AddRange(found.Select(evidence => new EvidenceMetadata
        {
            Id = evidence.Id.ToString(), TenantId = evidence.TenantId, UnitId = evidence.UnitId.ToString(), RoundId = evidence.RoundId.ToString(),
            Title = evidence.Title, DocumentNumber = evidence.DocumentNumber ?? "", Issuer = evidence.Issuer ?? "", IssueDate = evidence.IssueDate ?? "",
            FileName = evidence.FileName, MediaType = evidence.MediaType, Size = evidence.Size, Sha256 = evidence.Sha256,
            UploadedBy = evidence.UploadedBy, UploadedAt = Timestamp.FromDateTimeOffset(evidence.UploadedAt),
        }));
        return reply;
    }
}
