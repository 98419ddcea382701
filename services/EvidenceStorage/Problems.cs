using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ParPlatform.EvidenceStorage.Uploads;

namespace ParPlatform.EvidenceStorage;

/// <summary>A rule refused the request: RFC 7807 ProblemDetails with a stable <c>type</c> (<c>urn:par:evidence:{code}</c>).</summary>
public sealed class ProblemException(int status, string code, string title, string? detail = null) : Exception(title)
{
    public int Status { get; } = status;
    public string Type { get; } = $"urn:par:evidence:{code}";
    public string? Detail { get; } = detail;

    public static ProblemException Forbidden(string detail) => new(403, "forbidden", "Không có quyền", detail);
    public static ProblemException NotFound(string what) => new(404, "not-found", "Không tìm thấy", what);
}

internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, IOptions<EvidenceOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ProblemException refused => new ProblemDetails { Status = refused.Status, Type = refused.Type, Title = refused.Message, Detail = refused.Detail },
            UnauthorizedAccessException => new ProblemDetails { Status = 401, Type = "urn:par:evidence:unauthenticated", Title = "Chưa xác thực" },
            BadHttpRequestException { StatusCode: 413 } => new ProblemDetails { Status = 413, Type = "urn:par:evidence:too-large", Title = "Tệp quá lớn" },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        if (exception is not BadHttpRequestException)
        {
            await RefusedBodies.DrainAsync(context, options.Value.EffectiveMaxRequestBodyBytes);
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
