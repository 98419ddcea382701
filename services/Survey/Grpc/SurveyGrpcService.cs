using Grpc.Core;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Survey.V1;

namespace ParPlatform.Survey.Grpc;

internal sealed class SurveyGrpcService(ServiceInfoSource info) : SurveyService.SurveyServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());
}
