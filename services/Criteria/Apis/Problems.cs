using Microsoft.AspNetCore.Http.HttpResults;

namespace ParPlatform.Criteria.Apis;

/// <summary>The service's ProblemDetails, each with a stable type clients can branch on.</summary>
internal static class Problems
{
    public const string ValidationType = "urn:par:criteria:validation";
    public const string ImmutableType = "urn:par:criteria:set-immutable";

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string title = "The criteria set is invalid; nothing was saved.") =>
        TypedResults.ValidationProblem(errors, title: title, type: ValidationType);

    public static ProblemHttpResult Immutable(Guid setId, string status) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, type: ImmutableType, title: "The criteria set cannot be changed.",
        detail: $"Set {setId} is {status.ToLowerInvariant()}: only drafts are edited. Clone it to make a new draft.");

    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, type: "urn:par:criteria:not-found", title: $"{what} not found.");

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden, type: "urn:par:criteria:forbidden", title: "Not allowed.", detail: detail);

    public static ProblemHttpResult Conflict(string type, string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, type: $"urn:par:criteria:{type}", title: title, detail: detail);

    public static ProblemHttpResult PreconditionFailed(string currentETag) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed, type: "urn:par:criteria:version-mismatch",
        title: "The set changed since you read it.", detail: $"Current ETag is {currentETag}.");
}
