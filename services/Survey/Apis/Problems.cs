using Microsoft.AspNetCore.Http.HttpResults;

namespace ParPlatform.Survey.Apis;

/// <summary>RFC 7807 answers with a stable <c>type</c> per error, so clients branch on the type, not on the text.</summary>
internal static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: status, type: $"urn:par:survey:{code}", title: code, detail: detail, extensions: extensions);

    public static ProblemHttpResult Forbidden(string detail = "Your role may not do this.") => Of(403, "forbidden", detail);

    public static ProblemHttpResult NotFound(string what) => Of(404, "not-found", $"{what} not found.");

    public static ProblemHttpResult CriteriaUnavailable() =>
        Of(503, "criteria-unavailable", "The criteria service did not answer; try again.");
}
