using Microsoft.AspNetCore.Http.Features;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.EvidenceStorage.Uploads;

/// <summary>
/// A refused upload must still be answered to a client that sends its whole body before reading the answer: Python
/// requests, .NET's HttpClient and the gateway's own forwarder (YARP) all do when no <c>Expect: 100-continue</c> is
/// sent. Answering and closing with the body unread resets the connection under such a client, which then never sees
/// the answer (through the gateway: a 502 instead of our 413 or 409). So before a refusal is written, the rest of the
/// body is read and discarded, up to the service's request-body limit; Kestrel's own drain after the response gives
/// up after 5 s, too soon for a slow upload.
/// </summary>
public static class RefusedBodies
{
    private const string Started = "par:evidence:body-started";

    /// <summary>
    /// Middleware inside the exception handler: a request a rule refused (thrown <see cref="ProblemException"/>) has its
    /// body read before the refusal is written, so a client still sending reads the answer; a body over the limit
    /// is this service's 413 <c>too-large</c>.
    /// </summary>
    public static async Task DrainOnRefusalAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw http.RequestServices.GetRequiredService<EvidenceUploader>().TooLarge();
        }
        catch (Exception exception) when (exception is ProblemException or UnauthorizedAccessException && !http.Response.HasStarted)
        {
            await DrainAsync(http, http.RequestServices.GetRequiredService<EvidenceUploader>().MaxRequestBodyBytes);
            throw;
        }
    }

    /// <summary>Raises the request-body limit to the one the service drains to, just before the body is read.</summary>
    public static void StartReading(HttpContext http, long maxRequestBodyBytes)
    {
        SetLimit(http, maxRequestBodyBytes);
        http.Items[Started] = true;
    }

    public static async Task DrainAsync(HttpContext http, long maxRequestBodyBytes)
    {
        var request = http.Request;
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true || request.ContentLength > maxRequestBodyBytes)
        {
            return; // nothing to read, or more than the service ever reads: Kestrel closes the connection
        }
        // A client that asked for 100-continue has not been told to send its body yet: it reads the refusal instead.
        if (!http.Items.ContainsKey(Started) && request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        SetLimit(http, maxRequestBodyBytes);
        try
        {
            await request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // Over the limit, or the client went away: the refusal is written as far as the connection allows.
        }
    }

    private static void SetLimit(HttpContext http, long maxBytes)
    {
        // Kestrel's default cap is 30 MB; it can be changed only before the first read.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
    }
}
