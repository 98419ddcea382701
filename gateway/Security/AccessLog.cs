namespace ParPlatform.Gateway.Security;

/// <summary>
/// Refused calls, as structured log lines (who, what, why); the correlation id comes from the request's log scope.
/// Sign-ins and token grants are audited in the identity service's database.
/// </summary>
internal static partial class AccessLog
{
    public const string Category = "ParPlatform.Gateway.Access";

    [LoggerMessage(1, LogLevel.Warning, "Refused {Method} {Path} from {Remote}: 401 {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Refused {Method} {Path} for {Client}: 429 over its rate limit")]
    public static partial void RateLimited(ILogger logger, string method, string path, string client);

    public static ILogger For(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
}
