using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ParPlatform.Submission;

/// <summary>
/// A rule refused the request. Thrown inside the write's transaction, so nothing is saved; answered as RFC 7807
/// ProblemDetails with a stable <c>type</c> (<c>urn:par:submission:{code}</c>).
/// </summary>
public sealed class ProblemException(int status, string code, string title, string? detail = null, object? items = null)
    : Exception(title)
{
    public int Status { get; } = status;
    public string Type { get; } = $"urn:par:submission:{code}";
    public string? Detail { get; } = detail;
    public object? Items { get; } = items;

    public static ProblemException Forbidden(string detail) => new(403, "forbidden", "Không có quyền", detail);
    public static ProblemException NotFound(string what) => new(404, "not-found", "Không tìm thấy", what);
    public static ProblemException WrongStatus(string status, string action) =>
        new(409, "invalid-status", "Trạng thái không cho phép thao tác này", $"Cannot {action} an assessment in status {status}.");
}

internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ProblemException refused => new ProblemDetails { Status = refused.Status, Type = refused.Type, Title = refused.Message, Detail = refused.Detail },
            UnauthorizedAccessException => new ProblemDetails { Status = 401, Type = "urn:par:submission:unauthenticated", Title = "Chưa xác thực" },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        if (exception is ProblemException { Items: { } items })
        {
            problem.Extensions["items"] = items;
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
