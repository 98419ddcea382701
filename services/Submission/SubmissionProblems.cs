using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Submission;

/// <summary>
/// Every error the submission service answers with, REST and gRPC alike (see <see cref="ProblemKind"/>). The rules
/// run inside the write's transaction and throw (<see cref="Problem.ToException"/>), so a refusal saves nothing.
/// </summary>
internal static class SubmissionProblems
{
    private const string Service = ResourceNames.Submission;

    public static readonly ProblemKind<BadRequestProblem> InvalidBody = new(Service, "invalid-body", "Nội dung yêu cầu không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidArgument = new(Service, "invalid-argument", "Tham số không hợp lệ");
    public static readonly ProblemKind<ForbiddenProblem> ForbiddenKind = new(Service, "forbidden", "Không có quyền");
    public static readonly ProblemKind<ForbiddenProblem> LeaderOnly = new(Service, "leader-only", "Chỉ lãnh đạo đơn vị được phê duyệt");
    public static readonly ProblemKind<NotFoundProblem> NotFoundKind = new(Service, "not-found", "Không tìm thấy");
    public static readonly ProblemKind<ConflictProblem> InvalidStatus = new(Service, "invalid-status", "Trạng thái không cho phép thao tác này");
    public static readonly ProblemKind<ConflictProblem> SelfAssessmentClosed = new(Service, "self-assessment-closed", "Ngoài thời hạn tự chấm điểm");
    public static readonly ProblemKind<ConflictProblem> AppraisalClosed = new(Service, "appraisal-closed", "Ngoài thời hạn thẩm định");
    public static readonly ProblemKind<ConflictProblem> SetNotPublished = new(Service, "set-not-published", "Bộ tiêu chí chưa ban hành");
    public static readonly ProblemKind<ConflictProblem> SupplementaryNotOpen = new(Service, "supplementary-not-open", "Mục này không được bổ sung");
    public static readonly ProblemKind<ConflictProblem> ScoreLocked = new(Service, "score-locked", "Không được sửa điểm tự chấm khi bổ sung tài liệu");
    public static readonly ProblemKind<ConflictProblem> SecondRoundStarted = new(Service, "second-round-started", "Đã thẩm định lần hai");
    public static readonly ProblemKind<ConflictProblem> SupplementaryOpen = new(Service, "supplementary-open", "Còn yêu cầu bổ sung tài liệu chưa hết hạn");
    public static readonly ProblemKind<PreconditionFailedProblem> ItemChangedKind = new(Service, "item-changed", "Mục này vừa được người khác thay đổi");
    public static readonly ProblemKind<PayloadTooLargeProblem> SheetTooLarge = new(Service, "sheet-too-large", "Tệp quá lớn");
    public static readonly ProblemKind<UnprocessableProblem> EvidenceNotFound = new(Service, "evidence-not-found", "Tài liệu kiểm chứng không hợp lệ");
    public static readonly ProblemKind<UnprocessableProblem> ScoreOutOfRange = new(Service, "score-out-of-range", "Điểm nằm ngoài khoảng cho phép");
    public static readonly ProblemKind<UnprocessableProblem> ScoreStep = new(Service, "score-step", "Điểm không đúng bước chấm");
    public static readonly ProblemKind<UnprocessableProblem> ScorePrecision = new(Service, "score-precision", "Điểm có quá nhiều chữ số");
    public static readonly ProblemKind<UnprocessableProblem> BonusCapExceeded = new(Service, "bonus-cap-exceeded", "Tổng điểm thưởng vượt mức tối đa");
    public static readonly ProblemKind<UnprocessableProblem> PenaltyCapExceeded = new(Service, "penalty-cap-exceeded", "Tổng điểm trừ vượt mức tối đa");
    public static readonly ProblemKind<UnprocessableProblem> SheetUnreadable = new(Service, "sheet-unreadable", "Không đọc được tệp Excel");
    public static readonly ProblemKind<UnprocessableProblem> SheetInvalid = new(Service, "sheet-invalid", "Tệp tự chấm điểm có dòng không hợp lệ");
    public static readonly ProblemKind<UnprocessableProblem> UnknownItems = new(Service, "unknown-items", "Mục yêu cầu bổ sung không hợp lệ");
    public static readonly ProblemKind<UnprocessableProblem> DueDatePast = new(Service, "due-date-past", "Hạn bổ sung đã qua");
    public static readonly ProblemKind<UnprocessableProblem> ReasonRequired = new(Service, "reason-required", "Cần nêu lý do");
    public static readonly ProblemKind<UnprocessableProblem> ItemsNotScored = new(Service, "items-not-scored", "Còn tiêu chí chưa tự chấm điểm");
    public static readonly ProblemKind<UnprocessableProblem> EvidenceMissing = new(Service, "evidence-missing", "Thiếu tài liệu kiểm chứng hoặc giải trình");

    /// <summary>The <c>items</c> member a refusal names (item codes, evidence ids, sheet rows).</summary>
    public static IReadOnlyDictionary<string, object?> Items(object items) => new Dictionary<string, object?> { ["items"] = items };

    /// <summary>
    /// The item is no longer at the version the caller read: who changed it and when, and the item as it is now
    /// (<c>current</c>, as the API shows it), so a client can show both and let its user choose.
    /// </summary>
    public static ProblemException ItemChanged(Data.AssessmentItem current) => ItemChangedKind.With(
        $"Item {current.Code} was changed by {current.UpdatedBy ?? "someone else"} at {current.UpdatedAt:u} and is now at version {current.Version}; " +
        $"nothing was saved. Send the change again with If-Match: \"{current.Version}\" to replace their values.",
        new Dictionary<string, object?> { ["current"] = current }).ToException();

    public static ProblemException Forbidden(string detail) => ForbiddenKind.With(detail).ToException();

    public static ProblemException NotFound(string what) => NotFoundKind.With($"{what} not found.").ToException();

    public static ProblemException WrongStatus(string status, string action) =>
        InvalidStatus.With($"Cannot {action} an assessment in status {status}.").ToException();
}
