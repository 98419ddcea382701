using System.Net.Sockets;
using MassTransit;
using Npgsql;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Consumers;

/// <summary>
/// Stores a batch of intake messages in one transaction; MassTransit acknowledges them only after it commits.
/// A batch that fails for a reason other than an unavailable database or broker is split in halves and each half
/// stored on its own, down to single responses, so one response that cannot be stored never takes the others with
/// it: only it goes to <c>survey-responses_error</c>, as a message of its own carrying the reason (README,
/// "Workers"). Transient failures are thrown, so the endpoint's retries (and, after them, the error queue) handle
/// them; replaying is safe because storing is insert-if-absent.
/// </summary>
public sealed class StoreResponsesConsumer(ResponseStore store, ILogger<StoreResponsesConsumer> logger)
    : IConsumer<Batch<SurveyResponsesSubmitted>>
{
    public const int MessageLimit = 100;
    public const int ConcurrencyLimit = 2;
    public static readonly Uri ErrorExchange = new($"exchange:{IntakeService.ErrorQueue}");

    /// <summary>The header naming why a response was dead-lettered (next to MassTransit's <c>MT-Fault-*</c>).</summary>
    public const string ReasonHeader = "Par-Fault-Reason";

    public async Task Consume(ConsumeContext<Batch<SurveyResponsesSubmitted>> context)
    {
        var rows = new List<(string TenantId, SubmittedResponse Response)>();
        foreach (var message in context.Message)
        {
            try
            {
                rows.AddRange(ResponseBatchCodec.Decode(message.Message.Responses).Select(response => (message.Message.TenantId, response)));
            }
            catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException
                                                  or ArgumentException or OverflowException)
            {
                // Unreadable as a whole: the message itself goes to the error queue, untouched.
                await DeadLetterAsync(context, message.Message, $"undecodable-message: {exception.Message}", exception);
            }
        }
        var failures = new List<((string TenantId, SubmittedResponse Response) Row, Exception Exception)>();
        var stored = await StoreIsolatingAsync(rows, failures, context.CancellationToken);
        SurveyMetrics.Stored.Add(stored);
        foreach (var ((tenantId, response), exception) in failures)
        {
            logger.LogError(exception, "Response {ResponseId} of tenant {TenantId} cannot be stored; moved to {Queue}",
                response.ResponseId, tenantId, IntakeService.ErrorQueue);
            await DeadLetterAsync(context, SurveyResponsesSubmitted.Of(tenantId, [response]), $"store-failed: {Describe(exception)}", exception);
        }
        SurveyMetrics.DeadLettered.Add(failures.Count);
    }

    /// <summary>Stores the rows, bisecting on a non-transient failure; what fails alone is added to <paramref name="failures"/>.</summary>
    private async Task<int> StoreIsolatingAsync(
        List<(string TenantId, SubmittedResponse Response)> rows,
        List<((string, SubmittedResponse), Exception)> failures, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        try
        {
            return await store.StoreAsync(rows, cancellationToken);
        }
        catch (Exception exception) when (!IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            if (rows.Count == 1)
            {
                failures.Add((rows[0], exception));
                return 0;
            }
            logger.LogWarning(exception, "Storing {Count} responses failed; storing each half on its own", rows.Count);
            var half = rows.Count / 2;
            return await StoreIsolatingAsync(rows[..half], failures, cancellationToken)
                + await StoreIsolatingAsync(rows[half..], failures, cancellationToken);
        }
    }

    /// <summary>Failures that say nothing about the rows: the database or the network is unavailable for now.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        OperationCanceledException or TimeoutException or SocketException or IOException => true,
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            messages.Add($"{current.GetType().Name}: {current.Message}");
        }
        return string.Join(" ---> ", messages);
    }

    private static async Task DeadLetterAsync(
        ConsumeContext context, SurveyResponsesSubmitted message, string reason, Exception exception)
    {
        var endpoint = await context.GetSendEndpoint(ErrorExchange);
        await endpoint.Send(message, send =>
        {
            send.Headers.Set(ReasonHeader, reason);
            send.Headers.Set("MT-Reason", "fault");
            send.Headers.Set("MT-Fault-ExceptionType", exception.GetType().FullName);
            send.Headers.Set("MT-Fault-Message", exception.Message);
            send.Headers.Set("MT-Fault-Timestamp", DateTimeOffset.UtcNow.ToString("O"));
        }, context.CancellationToken);
    }
}
