using Microsoft.Extensions.Options;
using ParPlatform.Contracts;
using ParPlatform.Contracts.Submission.V1;
using ParPlatform.EvidenceStorage.Blobs;
using ParPlatform.EvidenceStorage.Uploads;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Grpc;

namespace ParPlatform.EvidenceStorage;

internal static class Extensions
{
    /// <summary>Every dependency of the evidence-storage service, registered in one place.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformService(ResourceNames.EvidenceStorage, ResourceNames.EvidenceDb, typeof(Program).Assembly);

        builder.Services.Configure<EvidenceOptions>(builder.Configuration.GetSection(EvidenceOptions.Section));
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton<IBlobStore>(services =>
        {
            var root = services.GetRequiredService<IOptions<EvidenceOptions>>().Value.Root;
            return new FileSystemBlobStore(string.IsNullOrWhiteSpace(root) ? Path.Combine(contentRoot, "data", "evidence") : root);
        });
        builder.AddCriteriaClient();
        builder.Services.AddGrpcServiceClient<SubmissionService.SubmissionServiceClient>(ResourceNames.Submission);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<UnitAssessments>();
        builder.Services.AddSingleton<EvidenceUploader>();
    }
}
