using Grpc.Core;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Submission.V1;

namespace ParPlatform.Submission.Grpc;

internal sealed class SubmissionGrpcService(ServiceInfoSource info) : SubmissionService.SubmissionServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());
}
