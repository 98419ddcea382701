using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using ParPlatform.Gateway.Security;

namespace ParPlatform.Gateway.Edge;

/// <summary>What every request gets on the way in and out, before anyone looks at who sent it.</summary>
internal static class EdgeExtensions
{
    public const string CorrelationHeader = "X-Correlation-Id";
    private const string InterimIdentityPrefix = "X-Par-";

    /// <summary>
    /// A correlation id on every request (the caller's if well-formed, else the trace id): forwarded to the
    /// services, echoed in the response, and in the log scope of every line logged for the request. Security
    /// headers on every response, whatever the service behind answered.
    /// </summary>
    public static void UseCorrelationAndSecurityHeaders(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ParPlatform.Gateway");
        app.Use(async (context, next) =>
        {
            var id = context.Request.Headers[CorrelationHeader].ToString();
            if (!IsWellFormed(id))
            {
                id = Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
                context.Request.Headers[CorrelationHeader] = id;
            }
            Activity.Current?.SetTag("correlation.id", id);
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[CorrelationHeader] = id;
                headers.XContentTypeOptions = "nosniff";
                // The web console sets its own (it frames its own evidence viewer); everything else is never framed.
                if (!headers.ContainsKey("X-Frame-Options"))
                {
                    headers.XFrameOptions = "DENY";
                }
                if (!headers.ContainsKey("Referrer-Policy"))
                {
                    headers["Referrer-Policy"] = "no-referrer";
                }
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                }
                return Task.CompletedTask;
            });
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            {
                await next(context);
            }
        });
    }

    /// <summary>
    /// Drops the interim X-Par-* identity headers (services still trust them until they validate tokens themselves),
    /// so nobody can claim an identity through the gateway; and caps each request body by route.
    /// </summary>
    public static void UseRequestHygiene(this WebApplication app, GatewaySettings settings)
    {
        app.Use(async (context, next) =>
        {
            foreach (var name in context.Request.Headers.Keys.Where(IsInterimIdentity).ToList())
            {
                context.Request.Headers.Remove(name);
            }

            var limit = settings.BodyLimitFor(context.Request.Path);
            if (context.Request.ContentLength > limit)
            {
                await GatewayProblems.WriteAsync(context,
                    GatewayProblems.TooLarge.With($"The request body may be at most {limit} bytes on this route."));
                return;
            }
            // Bodies without a length (chunked, HTTP/2 streams) are cut off by Kestrel once they pass the limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = limit;
            }
            await next(context);
        });
    }

    private static bool IsInterimIdentity(string header) => header.StartsWith(InterimIdentityPrefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsWellFormed(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
