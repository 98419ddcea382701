using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Gateway.Security;

/// <summary>The gateway's own errors (see <see cref="ProblemKind"/>), written by middleware rather than endpoints.</summary>
internal static class GatewayProblems
{
    public static readonly ProblemKind<TooManyRequestsProblem> RateLimited = new(ResourceNames.Gateway, "rate-limited", "Quá nhiều yêu cầu");
    public static readonly ProblemKind<PayloadTooLargeProblem> TooLarge = new(ResourceNames.Gateway, "too-large", "Dữ liệu gửi lên quá lớn");

    public static async ValueTask WriteAsync(HttpContext context, Problem problem, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = problem.StatusCode;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await problem.ExecuteAsync(context);
    }
}
