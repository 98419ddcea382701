using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.EvidenceStorage;

/// <summary>
/// Every error the evidence-storage service answers with, REST and gRPC alike (see <see cref="ProblemKind"/>). The
/// upload rules throw them (<see cref="Problem.ToException"/>) from deep in the streaming path.
/// </summary>
internal static class EvidenceProblems
{
    private const string Service = ResourceNames.EvidenceStorage;

    public static readonly ProblemKind<ForbiddenProblem> ForbiddenKind = new(Service, "forbidden", "Không có quyền");
    public static readonly ProblemKind<NotFoundProblem> NotFoundKind = new(Service, "not-found", "Không tìm thấy");
    public static readonly ProblemKind<BadRequestProblem> InvalidArgument = new(Service, "invalid-argument", "Tham số không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> UnsafeName = new(Service, "unsafe-name", "Tên tệp không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidIssueDate = new(Service, "invalid-issue-date", "Ngày ban hành không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> NotMultipart = new(Service, "not-multipart", "Yêu cầu không phải multipart/form-data");
    public static readonly ProblemKind<BadRequestProblem> NoFile = new(Service, "no-file", "Thiếu tệp");
    public static readonly ProblemKind<UnprocessableProblem> EmptyFile = new(Service, "empty-file", "Tệp rỗng");
    public static readonly ProblemKind<UnsupportedMediaTypeProblem> TypeNotAllowed = new(Service, "type-not-allowed", "Loại tệp không được phép");
    public static readonly ProblemKind<PayloadTooLargeProblem> TooLargeKind = new(Service, "too-large", "Tệp quá lớn");
    public static readonly ProblemKind<ConflictProblem> RoundLocked = new(Service, "round-locked", "Đợt đánh giá đã khóa");
    public static readonly ProblemKind<ConflictProblem> EvidenceInUse = new(Service, "evidence-in-use", "Tài liệu đang được sử dụng, không được xóa");
    public static readonly ProblemKind<ServiceUnavailableProblem> SubmissionUnavailable = new(Service, "submission-unavailable", "Tạm thời không kiểm tra được việc sử dụng tài liệu");

    public static ProblemException Forbidden(string detail) => ForbiddenKind.With(detail).ToException();

    public static ProblemException NotFound(string what) => NotFoundKind.With($"{what} not found.").ToException();
}
