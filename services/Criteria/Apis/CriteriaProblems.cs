using Grpc.Core;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Criteria.Apis;

/// <summary>Every error the criteria service answers with, REST and gRPC alike (see <see cref="ProblemKind"/>).</summary>
internal static class CriteriaProblems
{
    private const string Service = ResourceNames.Criteria;

    public static readonly ProblemKind<BadRequestProblem> Validation = new(Service, "validation", "Dữ liệu không hợp lệ, chưa lưu gì");
    public static readonly ProblemKind<BadRequestProblem> InvalidArgument = new(Service, "invalid-argument", "Tham số không hợp lệ");
    public static readonly ProblemKind<NotFoundProblem> NotFoundKind = new(Service, "not-found", "Không tìm thấy");
    public static readonly ProblemKind<ForbiddenProblem> ForbiddenKind = new(Service, "forbidden", "Không có quyền");
    public static readonly ProblemKind<ConflictProblem> Immutable = new(Service, "set-immutable", "Bộ tiêu chí đã ban hành, không được sửa");
    public static readonly ProblemKind<ConflictProblem> NotPublished = new(Service, "not-published", "Chỉ bộ tiêu chí đã ban hành mới được ngừng áp dụng");
    public static readonly ProblemKind<ConflictProblem> ReferenceSkeleton = new(Service, "reference-skeleton", "Khung tham chiếu không được ban hành");
    public static readonly ProblemKind<ConflictProblem> DuplicateSet = new(Service, "duplicate-set", "Đã có bộ tiêu chí cùng mã và năm", StatusCode.AlreadyExists);
    public static readonly ProblemKind<PreconditionFailedProblem> VersionMismatch = new(Service, "version-mismatch", "Bộ tiêu chí đã thay đổi kể từ khi bạn đọc");
    public static readonly ProblemKind<ConflictProblem> UnitConflict = new(Service, "unit-conflict", "Đơn vị trùng với đơn vị đã đăng ký", StatusCode.AlreadyExists);
    public static readonly ProblemKind<ConflictProblem> RoundFixed = new(Service, "round-fixed", "Không thể thay đổi năm, bộ tiêu chí hoặc nhóm xếp hạng của đợt đánh giá");
    public static readonly ProblemKind<ConflictProblem> DuplicateRound = new(Service, "duplicate-round", "Nhóm xếp hạng đã có đợt đánh giá trong năm này", StatusCode.AlreadyExists);
    public static readonly ProblemKind<ConflictProblem> RoundInUse = new(Service, "round-in-use", "Đợt đánh giá đã được sử dụng, không thể xóa");

    public static BadRequestProblem Invalid(IDictionary<string, string[]> errors, string detail = "The criteria set is invalid; nothing was saved.") =>
        Validation.WithErrors(detail, errors);

    public static ConflictProblem SetImmutable(Guid setId, string status) => Immutable.With(
        $"Set {setId} is {status.ToLowerInvariant()}: only drafts are edited. Clone it to make a new draft.");

    public static NotFoundProblem NotFound(string what) => NotFoundKind.With($"{what} not found.");

    public static ForbiddenProblem Forbidden(string detail) => ForbiddenKind.With(detail);

    public static PreconditionFailedProblem PreconditionFailed(string currentETag) => VersionMismatch.With(
        $"The set changed since you read it; its current ETag is {currentETag}.");
}
