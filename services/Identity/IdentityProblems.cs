using Grpc.Core;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Identity;

/// <summary>
/// Every error the identity service's REST APIs answer with (see <see cref="ProblemKind"/>). The token endpoints keep
/// OAuth's own error shape (<c>error</c>, <c>error_description</c>), as OpenIddict writes it.
/// </summary>
internal static class IdentityProblems
{
    private const string Service = ResourceNames.Identity;

    public static readonly ProblemKind<UnauthorizedProblem> Unauthorized = new(Service, "unauthorized", "Chưa xác thực");
    public static readonly ProblemKind<ForbiddenProblem> Forbidden = new(Service, "forbidden", "Không có quyền");
    public static readonly ProblemKind<NotFoundProblem> NotFound = new(Service, "not-found", "Không tìm thấy");

    // Passwords (connect/password).
    public static readonly ProblemKind<BadRequestProblem> InvalidCredentials = new(Service, "invalid-credentials", "Sai tên đăng nhập hoặc mật khẩu");
    public static readonly ProblemKind<BadRequestProblem> WeakPassword = new(Service, "weak-password", "Mật khẩu không đạt yêu cầu");

    // Accounts: the fields of one account (also the import's row errors).
    public static readonly ProblemKind<BadRequestProblem> InvalidUserName = new(Service, "invalid-user-name", "Tên đăng nhập không hợp lệ");
    public static readonly ProblemKind<ConflictProblem> DuplicateUserName = new(Service, "duplicate-user-name", "Tên đăng nhập đã tồn tại", StatusCode.AlreadyExists);
    public static readonly ProblemKind<BadRequestProblem> InvalidDisplayName = new(Service, "invalid-display-name", "Họ tên không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidEmail = new(Service, "invalid-email", "Thư điện tử không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> EmailRequired = new(Service, "email-required", "Thiếu thư điện tử");
    public static readonly ProblemKind<BadRequestProblem> InvalidPhone = new(Service, "invalid-phone", "Số điện thoại không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> UnknownRole = new(Service, "unknown-role", "Vai trò không hợp lệ");
    public static readonly ProblemKind<ForbiddenProblem> ForbiddenRole = new(Service, "forbidden-role", "Không có quyền");
    public static readonly ProblemKind<BadRequestProblem> RoleTenant = new(Service, "role-tenant", "Vai trò không phù hợp với tỉnh");
    public static readonly ProblemKind<BadRequestProblem> UnitRequired = new(Service, "unit-required", "Thiếu đơn vị");
    public static readonly ProblemKind<BadRequestProblem> UnitNotAllowed = new(Service, "unit-not-allowed", "Vai trò không gắn với đơn vị");
    public static readonly ProblemKind<BadRequestProblem> UnknownUnit = new(Service, "unknown-unit", "Đơn vị không tồn tại");
    public static readonly ProblemKind<BadRequestProblem> UnitOfAnotherTenant = new(Service, "unit-of-another-tenant", "Đơn vị thuộc tỉnh khác");
    public static readonly ProblemKind<BadRequestProblem> UnitNotValid = new(Service, "unit-not-valid", "Đơn vị không còn hiệu lực");
    public static readonly ProblemKind<ConflictProblem> CannotDisableSelf = new(Service, "cannot-disable-self", "Không thể tự khoá tài khoản");
    public static readonly ProblemKind<BadRequestProblem> InvalidPage = new(Service, "invalid-page", "Trang không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidPageSize = new(Service, "invalid-page-size", "Cỡ trang không hợp lệ");

    // Tenants (provinces).
    public static readonly ProblemKind<BadRequestProblem> UnknownTenant = new(Service, "unknown-tenant", "Tỉnh không tồn tại");
    public static readonly ProblemKind<BadRequestProblem> InvalidTenantCode = new(Service, "invalid-tenant-code", "Mã tỉnh không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> InvalidTenantName = new(Service, "invalid-tenant-name", "Tên tỉnh không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> UnknownProvinceUnit = new(Service, "unknown-province-unit", "Đơn vị cấp tỉnh không tồn tại");
    public static readonly ProblemKind<BadRequestProblem> AdminRequired = new(Service, "admin-required", "Thiếu quản trị viên");
    public static readonly ProblemKind<ConflictProblem> DuplicateTenant = new(Service, "duplicate-tenant", "Tỉnh đã tồn tại", StatusCode.AlreadyExists);

    // Account import.
    public static readonly ProblemKind<UnsupportedMediaTypeProblem> UnsupportedSheet = new(Service, "unsupported-sheet", "Định dạng tệp không được hỗ trợ");
    public static readonly ProblemKind<BadRequestProblem> UnreadableSheet = new(Service, "unreadable-sheet", "Không đọc được tệp");
    public static readonly ProblemKind<BadRequestProblem> ImportInvalid = new(Service, "import-invalid", "Tệp có dòng không hợp lệ");

    /// <summary>
    /// An error of one field: <c>errors</c> as validation problems have it, and <c>field</c> naming it on its own,
    /// which the web forms read to put the message next to the input.
    /// </summary>
    public static TResult WithField<TResult>(this ProblemKind<TResult> kind, string field, string detail) where TResult : Problem, IProblemResult<TResult> =>
        kind.With(detail, new Dictionary<string, object?>
        {
            ["field"] = field,
            ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
        });
}
