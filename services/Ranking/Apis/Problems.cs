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

    public static ProblemHttpResult InvalidTop(int top) =>
        TypedResults.Problem($"top must be a whole number from 1 to {Scoring.WhatIf.MaxTop}; got {top}.", statusCode: 400,
            title: "Số nội dung cần cải thiện không hợp lệ", type: "urn:par:ranking:invalid-top");

    public static ProblemHttpResult InvalidPublicationRequest(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = 400, Title = "Yêu cầu công bố không hợp lệ", Type = "urn:par:ranking:invalid-publication-request",
            Detail = "The publication request is invalid; nothing was published.",
        });

    /// <summary>409 naming every unit that keeps the round from being published (<c>blockingUnits</c>).</summary>
    public static ProblemHttpResult PublicationBlocked(IReadOnlyList<Live.BlockingUnit> blocking) =>
        TypedResults.Problem(
            $"{blocking.Count} unit(s) of the round are neither finalised nor excluded with a reason: "
                + string.Join(", ", blocking.Select(unit => $"{unit.Code} {unit.Name}".Trim())) + ".",
            statusCode: 409, title: "Chưa thể công bố: còn đơn vị chưa hoàn thành thẩm định", type: "urn:par:ranking:publication-incomplete",
            extensions: new Dictionary<string, object?> { ["blockingUnits"] = blocking });

    public static ProblemHttpResult PublicationTooEarly(DateTimeOffset publicationAt) =>
        TypedResults.Problem(
            $"The round's publication date is {publicationAt:O}; an administrator may publish earlier only with an earlyPublicationReason.",
            statusCode: 409, title: "Chưa đến ngày công bố kết quả", type: "urn:par:ranking:publication-too-early",
            extensions: new Dictionary<string, object?> { ["publicationAt"] = publicationAt });

    public static ProblemHttpResult Forbidden(string what) =>
        TypedResults.Problem($"The caller may not {what}.", statusCode: 403, title: "Forbidden", type: "urn:par:ranking:forbidden");
}
