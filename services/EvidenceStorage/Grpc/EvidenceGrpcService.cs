using Grpc.Core;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Evidence.V1;

namespace ParPlatform.EvidenceStorage.Grpc;

internal sealed class EvidenceGrpcService(ServiceInfoSource info) : EvidenceService.EvidenceServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());
}
