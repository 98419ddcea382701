using MassTransit;
using Npgsql;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.Survey.Data;

namespace ParPlatform.Survey.Intake;

/// <summary>
/// Every intake path (single, batch, CSV, gRPC) ends here: validate each response, claim its id in the idempotency
/// table, send the claimed ones to the workers' queue and commit the claims only once the broker has confirmed.
/// A concurrent copy of an id blocks on the claimant's uncommitted row and then reads its receipt, so PostgreSQL's
/// unique key decides every race and a receipt is only ever handed out for a response that is durable in RabbitMQ.
/// </summary>
public sealed class IntakeService(ResponseValidator validator, ReceiptData receipts, IBus bus, TimeProvider clock)
{
    public const int MaxBatch = 1000;
    public const string ResponsesQueue = "survey-responses";
    public const string ErrorQueue = $"{ResponsesQueue}_error";
    private static readonly Uri ResponsesExchange = new($"exchange:{ResponsesQueue}");

    public async Task<IReadOnlyList<ItemResult>> SubmitAsync(
        string tenantId, IReadOnlyList<ResponseInput> inputs, string channel, CancellationToken cancellationToken)
    {
        var results = new ItemResult?[inputs.Count];
        var candidates = new List<(int Index, SubmittedResponse Response)>(inputs.Count);
        var lookups = new ResponseValidator.Lookups();
        for (var i = 0; i < inputs.Count; i++)
        {
            var (valid, rejection) = await validator.ValidateAsync(tenantId, inputs[i], channel, cancellationToken, lookups);
            if (valid is null)
            {
                results[i] = rejection;
            }
            else
            {
                candidates.Add((i, valid.Response));
            }
        }
        await ClaimAsync(tenantId, candidates, results, cancellationToken);
        SurveyMetrics.Count(results!, channel);
        return results!;
    }

    /// <summary>
    /// Claims validated responses of one tenant and sends the claimed ones; fills <paramref name="results"/> at each
    /// candidate's index. The same id twice among the candidates is resolved against the first copy's outcome.
    /// Throws, with nothing accepted, when the broker does not confirm.
    /// </summary>
    public async Task ClaimAsync(
        string tenantId, IReadOnlyList<(int Index, SubmittedResponse Response)> candidates, ItemResult?[] results, CancellationToken cancellationToken)
    {
        var firstIndexOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, response) in candidates)
        {
            firstIndexOfId.TryAdd(response.ResponseId, index);
        }
        var unique = candidates.Where(c => firstIndexOfId[c.Response.ResponseId] == c.Index)
            .OrderBy(c => c.Response.ResponseId, StringComparer.Ordinal) // one lock order for every request: no deadlocks
            .ToList();
        if (unique.Count > 0)
        {
            await ClaimAndSendAsync(tenantId, unique, results, cancellationToken);
        }
        foreach (var (index, response) in candidates.Where(c => firstIndexOfId[c.Response.ResponseId] != c.Index))
        {
            var firstIndex = firstIndexOfId[response.ResponseId];
            var first = results[firstIndex]!;
            var firstHash = candidates.First(c => c.Index == firstIndex).Response.ContentHash;
            results[index] = first.Outcome == Outcomes.Rejected ? first
                : response.ContentHash == firstHash ? first with { Outcome = Outcomes.Duplicate }
                : ConflictWith(response.ResponseId, first.ReceiptId!.Value, first.AcceptedAt!.Value);
        }
    }

    private async Task ClaimAndSendAsync(
        string tenantId, List<(int Index, SubmittedResponse Response)> unique, ItemResult?[] results, CancellationToken cancellationToken)
    {
        var acceptedAt = clock.GetUtcNow();
        var responses = unique.Select(c => c.Response with { ReceiptId = NewId.NextGuid(), AcceptedAt = acceptedAt }).ToList();

        await using var claim = await receipts.BeginClaimAsync(tenantId, responses, cancellationToken);
        var claimedIds = claim.ClaimedIds;
        var claimed = responses.Where(r => claimedIds.Contains(r.ResponseId)).ToList();
        if (claimed.Count > 0)
        {
            // One message per chunk, all in flight at once: the publisher confirms arrive together.
            var endpoint = await bus.GetSendEndpoint(ResponsesExchange);
            await Task.WhenAll(claimed.Chunk(MaxBatch).Select(chunk =>
                endpoint.Send(SurveyResponsesSubmitted.Of(tenantId, chunk), cancellationToken)));
        }
        await claim.CommitAsync(cancellationToken);

        for (var i = 0; i < unique.Count; i++)
        {
            var response = responses[i];
            results[unique[i].Index] = claimedIds.Contains(response.ResponseId)
                ? new ItemResult(response.ResponseId, Outcomes.Accepted, response.ReceiptId, acceptedAt)
                : claim.Existing[response.ResponseId] is var stored && stored.ContentHash == response.ContentHash
                    ? new ItemResult(response.ResponseId, Outcomes.Duplicate, stored.ReceiptId, stored.AcceptedAt)
                    : ConflictWith(response.ResponseId, stored.ReceiptId, stored.AcceptedAt);
        }
    }

    private static ItemResult ConflictWith(string responseId, Guid receiptId, DateTimeOffset acceptedAt) =>
        new(responseId, Outcomes.Rejected, receiptId, acceptedAt, Reasons.Conflict,
            $"Response id '{responseId}' was already accepted with different content (receipt {receiptId}); see {Location(responseId)}.");

    /// <summary>Where a response's receipt (and whether it is stored yet) can be read.</summary>
    public static string Location(string responseId) => $"/api/survey/responses/{Uri.EscapeDataString(responseId)}";
}
