using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Problems;

/// <summary>
/// How every process (services and gateway) answers what it cannot take: ProblemDetails in UTF-8 that say so,
/// malformed JSON named by its place, and gRPC callers refused in gRPC's own terms.
/// </summary>
public static class PlatformProblems
{
    public const string ProblemJson = "application/problem+json";
    public const string ProblemJsonUtf8 = "application/problem+json; charset=utf-8";

    /// <summary>The service name in the <c>type</c> of problems every process answers alike.</summary>
    public const string Service = "platform";

    public static readonly ProblemKind<BadRequestProblem> MalformedJson = new(Service, "malformed-json", "Nội dung JSON không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> BadRequest = new(Service, "bad-request", "Yêu cầu không hợp lệ");
    public static readonly ProblemKind<UnauthorizedProblem> Unauthenticated = new(Service, "unauthenticated", "Chưa xác thực");

    /// <summary>
    /// What the framework answers on its own (status code pages, the authorization middleware, an unhandled
    /// exception), in the same scheme: by status, a <c>urn:par:platform:</c> code, a vi-VN title and an English detail.
    /// </summary>
    private static readonly Dictionary<int, (string Code, string Title, string Detail)> FrameworkProblems = new()
    {
        [StatusCodes.Status400BadRequest] = ("bad-request", "Yêu cầu không hợp lệ", "The request cannot be processed."),
        [StatusCodes.Status401Unauthorized] = ("unauthenticated", "Chưa xác thực", "A valid bearer token is required."),
        [StatusCodes.Status403Forbidden] = ("forbidden", "Không có quyền", "Your role may not do this."),
        [StatusCodes.Status404NotFound] = ("not-found", "Không tìm thấy", "Nothing is found at this address."),
        [StatusCodes.Status405MethodNotAllowed] = ("method-not-allowed", "Phương thức không được hỗ trợ", "This address does not take this HTTP method."),
        [StatusCodes.Status406NotAcceptable] = ("not-acceptable", "Không có định dạng phù hợp", "No representation matches the Accept header."),
        [StatusCodes.Status408RequestTimeout] = ("request-timeout", "Hết thời gian chờ yêu cầu", "The request was not received in time."),
        [StatusCodes.Status409Conflict] = ("conflict", "Xung đột dữ liệu", "The request conflicts with the resource's state."),
        [StatusCodes.Status413PayloadTooLarge] = ("too-large", "Nội dung quá lớn", "The request body is larger than allowed."),
        [StatusCodes.Status415UnsupportedMediaType] = ("unsupported-media-type", "Kiểu nội dung không được hỗ trợ", "The request's Content-Type is not accepted here."),
        [StatusCodes.Status429TooManyRequests] = ("too-many-requests", "Quá nhiều yêu cầu", "Too many requests; try again later."),
        [StatusCodes.Status500InternalServerError] = ("internal-error", "Lỗi hệ thống", "An unexpected error occurred; it has been logged."),
        [StatusCodes.Status503ServiceUnavailable] = ("unavailable", "Dịch vụ tạm thời không sẵn sàng", "The service cannot answer now; try again."),
    };

    /// <summary>The problem an exception stands for: a thrown <see cref="ProblemException"/>, or a request without a platform identity.</summary>
    public static Problem? Of(Exception exception) => exception switch
    {
        ProblemException thrown => thrown.Problem,
        UnauthorizedAccessException => Unauthenticated.With(exception.Message),
        _ => null,
    };

    /// <summary>
    /// A request the framework could not bind (Minimal APIs' <see cref="BadHttpRequestException"/>, thrown in every
    /// environment, see <c>ThrowOnBadRequest</c>) says why: for malformed JSON, the member's JSON path, line and
    /// position, so a client can find its mistake.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (context.Exception is not BadHttpRequestException bad)
        {
            InScheme(problem);
            return;
        }
        if (FindJsonException(bad) is { } json)
        {
            // JsonException counts lines and positions from 0; people count from 1.
            var line = json.LineNumber + 1;
            var position = json.BytePositionInLine + 1;
            problem.Type = MalformedJson.Type;
            problem.Title = MalformedJson.Title;
            problem.Detail = json.Path is { Length: > 0 } path
                ? $"The JSON body cannot be read at {path} (line {line}, position {position})."
                : $"The JSON body cannot be read (line {line}, position {position}).";
            problem.Extensions["path"] = json.Path;
            problem.Extensions["line"] = line;
            problem.Extensions["position"] = position;
            return;
        }
        problem.Type = bad.StatusCode == StatusCodes.Status400BadRequest ? BadRequest.Type : null;
        problem.Title = bad.StatusCode == StatusCodes.Status400BadRequest ? BadRequest.Title : null;
        problem.Detail = bad.Message;
        InScheme(problem);
    }

    /// <summary>A problem the framework wrote (its type an RFC link, or none) takes the platform's type and a vi-VN title.</summary>
    private static void InScheme(ProblemDetails problem)
    {
        if (problem.Type?.StartsWith("urn:par:", StringComparison.Ordinal) == true)
        {
            return;
        }
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var (code, title, detail) = FrameworkProblems.TryGetValue(status, out var known)
            ? known
            : ($"http-{status}", status >= 500 ? "Lỗi hệ thống" : "Yêu cầu không thực hiện được", $"The request ended with HTTP status {status}.");
        problem.Type = $"urn:par:{Service}:{code}";
        problem.Title = title;
        problem.Detail ??= detail;
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
