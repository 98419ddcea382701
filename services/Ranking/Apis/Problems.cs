using Microsoft.AspNetCore.Http.HttpResults;

namespace ParPlatform.Ranking.Apis;

/// <summary>RFC 7807 answers with a stable <c>type</c> per error.</summary>
internal static class Problems
{
    public static ProblemHttpResult RoundNotFound(Guid roundId) =>
        TypedResults.Problem($"Round {roundId} is unknown to the criteria service.", statusCode: 404,
            title: "Round not found", type: "urn:par:ranking:round-not-found");

    public static ProblemHttpResult NotPublished(Guid roundId, string version) =>
        TypedResults.Problem($"Round {roundId} has no published ranking '{version}'.", statusCode: 404,
            title: "Ranking not published", type: "urn:par:ranking:not-published");

    public static ProblemHttpResult UnitNotRanked(Guid unitId) =>
        TypedResults.Problem($"Unit {unitId} has no result in this ranking.", statusCode: 404,
            title: "Unit not ranked", type: "urn:par:ranking:unit-not-ranked");

    public static ProblemHttpResult InvalidVersion(string version) =>
        TypedResults.Problem($"'{version}' is neither 'latest' nor a positive version number.", statusCode: 400,
            title: "Invalid version", type: "urn:par:ranking:invalid-version");

    public static ProblemHttpResult Forbidden(string what) =>
        TypedResults.Problem($"The caller may not {what}.", statusCode: 403, title: "Forbidden", type: "urn:par:ranking:forbidden");
}
