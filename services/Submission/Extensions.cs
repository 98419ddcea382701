using ParPlatform.Contracts;
using ParPlatform.Contracts.Evidence.V1;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Grpc;
using ParPlatform.Submission.Evidence;
using ParPlatform.Submission.Seed;

namespace ParPlatform.Submission;

internal static class Extensions
{
    /// <summary>Every dependency of the submission service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.Submission, ResourceNames.SubmissionDb, typeof(Program).Assembly);

        builder.AddCriteriaClient();
        builder.Services.AddGrpcServiceClient<EvidenceService.EvidenceServiceClient>(ResourceNames.EvidenceStorage);
        builder.Services.AddSingleton<EvidenceVerifier>();
        if (builder.Configuration.GetValue<bool>("Seed:Demo"))
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }
    }
}
