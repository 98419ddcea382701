using Grpc.Core;
using ParPlatform.Contracts.Submission.V1;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.EvidenceStorage.Uploads;

/// <summary>
/// The caller's unit's assessment in a round, as the submission service (which owns it) tells it, asked as the
/// caller so that service applies its own unit and tenant rules. Two questions depend on it: after the lock, a unit
/// may still add (never replace or delete) evidence while an appraiser's request for supplementary evidence is
/// open; and a file an assessment refers to may not be deleted.
/// </summary>
public sealed class UnitAssessments(
    SubmissionService.SubmissionServiceClient client, IHttpContextAccessor request, TimeProvider clock, ILogger<UnitAssessments> logger)
{
    public async Task<bool> IsSupplementaryOpenAsync(Caller caller, Guid roundId)
    {
        try
        {
            return await FindAsync(caller, roundId) is { SupplementaryOpenUntil: { } until } && clock.GetUtcNow() < until.ToDateTimeOffset();
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Fail closed: without the submission service's word, the lock holds.
            logger.LogWarning(exception, "Submission service unreachable; round {RoundId} stays locked for unit {UnitId}", roundId, caller.UnitId);
            return false;
        }
    }

    /// <summary>Refuses (409) deleting a file that an item of the unit's assessment refers to, naming the items.</summary>
    public async Task EnsureNotReferencedAsync(Caller caller, Guid roundId, Guid evidenceId)
    {
        AssessmentSummary? assessment;
        try
        {
            assessment = await FindAsync(caller, roundId);
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Fail closed: a file may be deleted only when it is known that nothing refers to it.
            logger.LogWarning(exception, "Submission service unreachable; evidence {EvidenceId} is not deleted", evidenceId);
            throw EvidenceProblems.SubmissionUnavailable.With("The submission service could not say whether an assessment refers to this file; try again later.").ToException();
        }
        var items = assessment?.Items.Where(item => item.EvidenceIds.Contains(evidenceId.ToString())).Select(item => item.Code).ToList() ?? [];
        if (items.Count == 0)
        {
            return;
        }
        var codes = string.Join(", ", items);
        throw assessment!.Status == "Draft"
            ? EvidenceProblems.EvidenceInUse.With($"Items {codes} of the unit's draft self-assessment refer to this file: detach it from them first (PATCH the item's evidenceIds).").ToException()
            : EvidenceProblems.EvidenceInUse.With($"Items {codes} of the unit's self-assessment (status {assessment.Status}) refer to this file; a submitted, approved or appraised assessment keeps its evidence.").ToException();
    }

    /// <returns>null when the unit has no assessment in the round (or the caller may not see it).</returns>
    private async Task<AssessmentSummary?> FindAsync(Caller caller, Guid roundId)
    {
        var headers = PlatformAuthentication.ForwardedCredentials(request.HttpContext!);
        try
        {
            return await client.GetAssessmentAsync(
                new GetAssessmentRequest { RoundId = roundId.ToString(), UnitId = caller.UnitId ?? "" },
                headers, deadline: DateTime.UtcNow.AddSeconds(10));
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            return null;
        }
    }
}
