namespace ParPlatform.Gateway.Security;

/// <summary>The gateway's own RFC 7807 answers, each with a stable <c>type</c>.</summary>
internal static class GatewayProblems
{
    public const string RateLimited = "urn:par:gateway:rate-limited";
    public const string TooLarge = "urn:par:gateway:too-large";

    public static async ValueTask WriteAsync(
        HttpContext context, int status, string type, string title, string detail, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Type = type, Title = title, Detail = detail },
        });
    }
}
