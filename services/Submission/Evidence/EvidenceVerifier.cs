using ParPlatform.Contracts.Evidence.V1;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Evidence;

/// <summary>Referenced evidence must exist in evidence-storage and belong to the assessed unit.</summary>
public sealed class EvidenceVerifier(EvidenceService.EvidenceServiceClient client)
{
    public async Task EnsureBelongsAsync(Assessment assessment, IReadOnlyCollection<Guid> evidenceIds)
    {
        if (evidenceIds.Count == 0)
        {
            return;
        }
        var request = new GetEvidenceMetadataRequest();
        request.Ids.AddRange(evidenceIds.Select(id => id.ToString()));
        var reply = await client.GetEvidenceMetadataAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
        var owned = reply.Items
            .Where(item => item.TenantId == assessment.TenantId && item.UnitId == assessment.UnitId.ToString())
            .Select(item => Guid.Parse(item.Id))
            .ToHashSet();
        var foreign = evidenceIds.Where(id => !owned.Contains(id)).ToList();
        if (foreign.Count > 0)
        {
            throw SubmissionProblems.EvidenceNotFound.With("These evidence ids do not exist or belong to another unit.", SubmissionProblems.Items(foreign)).ToException();
        }
    }
}
