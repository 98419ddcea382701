using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Ranking.Apis;

/// <summary>Every error the ranking service answers with, REST and gRPC alike (see <see cref="ProblemKind"/>).</summary>
internal static class RankingProblems
{
    private const string Service = ResourceNames.Ranking;

    public static readonly ProblemKind<NotFoundProblem> RoundNotFoundKind = new(Service, "round-not-found", "Không tìm thấy đợt đánh giá");
    public static readonly ProblemKind<NotFoundProblem> NotPublishedKind = new(Service, "not-published", "Chưa công bố kết quả xếp hạng");
    public static readonly ProblemKind<NotFoundProblem> UnitNotRankedKind = new(Service, "unit-not-ranked", "Đơn vị không có trong bảng xếp hạng");
    public static readonly ProblemKind<BadRequestProblem> InvalidVersionKind = new(Service, "invalid-version", "Phiên bản không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidArgument = new(Service, "invalid-argument", "Tham số không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidTopKind = new(Service, "invalid-top", "Số nội dung cần cải thiện không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidPublicationRequestKind = new(Service, "invalid-publication-request", "Yêu cầu công bố không hợp lệ");
    public static readonly ProblemKind<ConflictProblem> PublicationIncomplete = new(Service, "publication-incomplete", "Chưa thể công bố: còn đơn vị chưa hoàn thành thẩm định");
    public static readonly ProblemKind<ConflictProblem> PublicationTooEarlyKind = new(Service, "publication-too-early", "Chưa đến ngày công bố kết quả");
    public static readonly ProblemKind<ForbiddenProblem> ForbiddenKind = new(Service, "forbidden", "Không có quyền");

    public static NotFoundProblem RoundNotFound(Guid roundId) =>
        RoundNotFoundKind.With($"Round {roundId} is unknown to the criteria service.");

    public static NotFoundProblem NotPublished(Guid roundId, string version) =>
        NotPublishedKind.With($"Round {roundId} has no published ranking '{version}'.");

    public static NotFoundProblem UnitNotRanked(Guid unitId) => UnitNotRankedKind.With($"Unit {unitId} has no result in this ranking.");

    public static BadRequestProblem InvalidVersion(string version) =>
        InvalidVersionKind.With($"'{version}' is neither 'latest' nor a positive version number.");

    public static readonly ProblemKind<BadRequestProblem> InvalidPageKind = new(Service, "invalid-page", "Yêu cầu trang không hợp lệ");

    public static BadRequestProblem InvalidPage(Dictionary<string, string[]> errors) =>
        InvalidPageKind.WithErrors("The page of the live table cannot be given as asked.", errors);

    public static BadRequestProblem InvalidTop(int top) =>
        InvalidTopKind.With($"top must be a whole number from 1 to {Scoring.WhatIf.MaxTop}; got {top}.");

    public static BadRequestProblem InvalidPublicationRequest(Dictionary<string, string[]> errors) =>
        InvalidPublicationRequestKind.WithErrors("The publication request is invalid; nothing was published.", errors);

    /// <summary>409 naming every unit that keeps the round from being published (<c>blockingUnits</c>).</summary>
    public static ConflictProblem PublicationBlocked(IReadOnlyList<Live.BlockingUnit> blocking) => PublicationIncomplete.With(
        $"{blocking.Count} unit(s) of the round are neither finalised nor excluded with a reason: "
            + string.Join(", ", blocking.Select(unit => $"{unit.Code} {unit.Name}".Trim())) + ".",
        new Dictionary<string, object?> { ["blockingUnits"] = blocking });

    public static ConflictProblem PublicationTooEarly(DateTimeOffset publicationAt) => PublicationTooEarlyKind.With(
        $"The round's publication date is {publicationAt:O}; an administrator may publish earlier only with an earlyPublicationReason.",
        new Dictionary<string, object?> { ["publicationAt"] = publicationAt });

    public static ForbiddenProblem Forbidden(string what) => ForbiddenKind.With($"The caller may not {what}.");
}
