using Grpc.Core;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Ranking.V1;

namespace ParPlatform.Ranking.Grpc;

internal sealed class RankingGrpcService(ServiceInfoSource info) : RankingService.RankingServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());
}
