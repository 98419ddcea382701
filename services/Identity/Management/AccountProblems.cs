using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Identity.Management;

/// <summary>
/// The identity service's REST errors: ProblemDetails with type <c>urn:par:identity:&lt;code&gt;</c>, a vi-VN title and
/// an English detail; a field error also names the field (<c>field</c>, and <c>errors</c> as validation problems do).
/// </summary>
public static class AccountProblems
{
    public static ProblemHttpResult Field(string code, string field, string title, string detail, int status = StatusCodes.Status400BadRequest) =>
        Problem(code, title, detail, status, new Dictionary<string, object?>
        {
            ["field"] = field,
            ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
        });

    public static ProblemHttpResult Problem(string code, string title, string detail, int status, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Type = $"urn:par:identity:{code}", Title = title, Detail = detail, Status = status };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string what) =>
        Problem("not-found", "Không tìm thấy", $"{what} was not found.", StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string detail) =>
        Problem("forbidden", "Không có quyền", detail, StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Unauthorized(string detail) =>
        Problem("unauthorized", "Chưa xác thực", detail, StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult WeakPassword(string field, string detail) =>
        Field("weak-password", field, "Mật khẩu không đạt yêu cầu", detail);
}
