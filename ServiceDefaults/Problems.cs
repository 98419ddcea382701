using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How every process (services and gateway) answers what it cannot take: ProblemDetails in UTF-8 that say so,
/// malformed JSON named by its place, and gRPC callers refused in gRPC's own terms.
/// </summary>
public static class PlatformProblems
{
    public const string ProblemJson = "application/problem+json";
    public const string ProblemJsonUtf8 = "application/problem+json; charset=utf-8";
    public const string MalformedJsonType = "urn:par:malformed-json";
    public const string BadRequestType = "urn:par:bad-request";

    /// <summary>
    /// A request the framework could not bind (Minimal APIs' <see cref="BadHttpRequestException"/>, thrown in every
    /// environment, see <c>ThrowOnBadRequest</c>) says why: for malformed JSON, the member's JSON path, line and
    /// position, so a client can find its mistake.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.Exception is not BadHttpRequestException bad)
        {
            return;
        }
        var problem = context.ProblemDetails;
        if (FindJsonException(bad) is { } json)
        {
            // JsonException counts lines and positions from 0; people count from 1.
            var line = json.LineNumber + 1;
            var position = json.BytePositionInLine + 1;
            problem.Type = MalformedJsonType;
            problem.Title = "Nội dung JSON không hợp lệ";
            problem.Detail = json.Path is { Length: > 0 } path
                ? $"The JSON body cannot be read at {path} (line {line}, position {position})."
                : $"The JSON body cannot be read (line {line}, position {position}).";
            problem.Extensions["path"] = json.Path;
            problem.Extensions["line"] = line;
            problem.Extensions["position"] = position;
            return;
        }
        problem.Type = BadRequestType;
        problem.Title = "Yêu cầu không hợp lệ";
        problem.Detail = bad.Message;
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }
        return null;
    }

    /// <summary>
    /// <c>application/problem+json</c> with its charset, whoever wrote it (ProblemDetails service, TypedResults.Problem,
    /// a proxied service): without it, some clients decode Vietnamese titles as Latin-1 ("KhÃ¡c").
    /// </summary>
    public static IApplicationBuilder UseProblemJsonCharset(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (string.Equals(context.Response.ContentType, ProblemJson, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = ProblemJsonUtf8;
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>
/// A gRPC caller without a (valid) token gets gRPC status UNAUTHENTICATED (16), one without the right
/// PERMISSION_DENIED (7), as a trailers-only answer a gRPC client can read, instead of an HTTP 401/403 with a JSON
/// body. The challenge and the refusal still run (so the gateway's access log records them); only the answer changes.
/// </summary>
public sealed class GrpcAwareAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!(authorizeResult.Challenged || authorizeResult.Forbidden) || !PlatformProblems.IsGrpc(context.Request))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (context.Response.HasStarted)
        {
            return;
        }
        var (status, message) = authorizeResult.Challenged
            ? ("16", "A valid bearer token is required.")
            : ("7", "Your role may not make this call.");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status;
        context.Response.Headers["grpc-message"] = message;
    }
}
