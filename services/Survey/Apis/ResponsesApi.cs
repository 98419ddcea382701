using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

public sealed record BatchRequest(IReadOnlyList<ResponseInput>? Responses);

public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<ItemResult> Items)
{
    public static BatchResult Of(IReadOnlyList<ItemResult> items) => new(
        items.Count(i => i.Outcome == Outcomes.Accepted), items.Count(i => i.Outcome == Outcomes.Duplicate),
        items.Count(i => i.Outcome == Outcomes.Rejected), items);
}

internal static class ResponsesApi
{
    public const string Channel = "rest";

    public static readonly string[] Submitters =
        [PlatformRoles.SurveyOperator, PlatformRoles.SurveyPartner, PlatformRoles.ProvincialAdmin, PlatformRoles.NationalAdmin];

    public static RouteGroupBuilder MapResponsesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/responses").RequireAuthorization();
        group.MapPost("/", SubmitAsync);
        group.MapPost("/batch", SubmitBatchAsync);
        group.MapGet("/{responseId}", GetAsync);
        return group;
    }

    /// <summary>202 with a receipt once the response is durable in RabbitMQ; an identical repeat gets the same receipt.</summary>
    private static async Task<Results<Accepted<ItemResult>, ForbiddenProblem, BadRequestProblem, ConflictProblem, UnprocessableProblem, ServiceUnavailableProblem>> SubmitAsync(
        ResponseInput input, HttpContext http, SingleResponseCoalescer intake, ILogger<IntakeService> logger, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Submitters))
        {
            return SurveyProblems.Forbidden();
        }
        if (string.IsNullOrWhiteSpace(input.ResponseId))
        {
            return SurveyProblems.MissingResponseId.With("Every response needs a client-supplied responseId (its idempotency key).");
        }
        var result = (await GuardAsync(async () => [await intake.SubmitAsync(caller.TenantId, input, Channel, cancellationToken)], logger))[0];
        return result switch
        {
            { Outcome: not Outcomes.Rejected } => TypedResults.Accepted(IntakeService.Location(result.ResponseId!), result),
            { Reason: Reasons.Conflict } => SurveyProblems.ResponseConflict.With(result.Detail!, new Dictionary<string, object?>
            {
                ["existing"] = IntakeService.Location(result.ResponseId!),
                ["receiptId"] = result.ReceiptId,
                ["acceptedAt"] = result.AcceptedAt,
            }),
            { Reason: Reasons.MissingResponseId } => SurveyProblems.MissingResponseId.With(result.Detail!),
            _ => SurveyProblems.Rejected(result.Reason!, result.Detail!),
        };
    }

    /// <summary>Up to 1,000 responses; each gets accepted, duplicate or rejected with its reason.</summary>
    private static async Task<Results<Ok<BatchResult>, ForbiddenProblem, BadRequestProblem, ServiceUnavailableProblem>> SubmitBatchAsync(
        BatchRequest batch, HttpContext http, IntakeService intake, ILogger<IntakeService> logger, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(http);
        if (!caller.HasRole(Submitters))
        {
            return SurveyProblems.Forbidden();
        }
        if (batch.Responses is not { Count: > 0 and <= IntakeService.MaxBatch } responses)
        {
            return SurveyProblems.BatchTooLarge.With($"A batch holds 1 to {IntakeService.MaxBatch} responses.");
        }
        return TypedResults.Ok(BatchResult.Of(await GuardAsync(() => intake.SubmitAsync(caller.TenantId, responses, Channel, cancellationToken), logger)));
    }

    private static async Task<Results<Ok<StoredReceipt>, NotFoundProblem>> GetAsync(
        string responseId, HttpContext http, ReceiptData receipts, CancellationToken cancellationToken) =>
        await receipts.FindAsync(Caller.Of(http).TenantId, responseId, cancellationToken) is { } receipt
            ? TypedResults.Ok(receipt)
            : SurveyProblems.NotFound("Response");

    /// <summary>Nothing was accepted when the broker or the criteria service fails (thrown 503): the client may simply retry.</summary>
    public static async Task<IReadOnlyList<ItemResult>> GuardAsync(
        Func<Task<IReadOnlyList<ItemResult>>> submit, ILogger logger)
    {
        try
        {
            return await submit();
        }
        catch (RpcException exception)
        {
            logger.LogWarning(exception, "Criteria service unavailable during intake");
            throw SurveyProblems.CriteriaUnavailable().ToException();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Intake failed before the broker confirmed; nothing was accepted");
            throw SurveyProblems.IntakeUnavailable.With("The response could not be made durable; retry with the same responseId.").ToException();
        }
    }
}
