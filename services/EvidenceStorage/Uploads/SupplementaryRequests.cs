using Grpc.Core;
using ParPlatform.Contracts.Submission.V1;

namespace ParPlatform.EvidenceStorage.Uploads;

/// <summary>
/// After the lock a unit may still add (never replace or delete) evidence while an appraiser's request for
/// supplementary evidence is open. The submission service owns those requests, so it is asked, as the caller.
/// </summary>
public sealed class SupplementaryRequests(
    SubmissionService.SubmissionServiceClient client, IHttpContextAccessor request, TimeProvider clock, ILogger<SupplementaryRequests> logger)
{
    public async Task<bool> IsOpenAsync(Caller caller, Guid roundId)
    {
        // The caller's credentials travel on, so the submission service applies its own unit and tenant rules.
        var headers = PlatformAuthentication.ForwardedCredentials(request.HttpContext!);
        try
        {
            var assessment = await client.GetAssessmentAsync(
                new GetAssessmentRequest { RoundId = roundId.ToString(), UnitId = caller.UnitId ?? "" },
                headers, deadline: DateTime.UtcNow.AddSeconds(10));
            return assessment.SupplementaryOpenUntil is { } until && clock.GetUtcNow() < until.ToDateTimeOffset();
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            return false;
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Fail closed: without the submission service's word, the lock holds.
            logger.LogWarning(exception, "Submission service unreachable; round {RoundId} stays locked for unit {UnitId}", roundId, caller.UnitId);
            return false;
        }
    }
}
