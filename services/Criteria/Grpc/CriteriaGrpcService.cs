using Grpc.Core;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Criteria.V1;

namespace ParPlatform.Criteria.Grpc;

internal sealed class CriteriaGrpcService(ServiceInfoSource info) : CriteriaService.CriteriaServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());
}
