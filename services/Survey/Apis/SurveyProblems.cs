using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Apis;

/// <summary>Every error the survey service answers with, REST and gRPC alike (see <see cref="ProblemKind"/>).</summary>
internal static class SurveyProblems
{
    private const string Service = ResourceNames.Survey;

    public static readonly ProblemKind<ForbiddenProblem> ForbiddenKind = new(Service, "forbidden", "Không có quyền");
    public static readonly ProblemKind<NotFoundProblem> NotFoundKind = new(Service, "not-found", "Không tìm thấy");
    public static readonly ProblemKind<BadRequestProblem> InvalidArgument = new(Service, "invalid-argument", "Tham số không hợp lệ");
    public static readonly ProblemKind<ServiceUnavailableProblem> CriteriaUnavailableKind = new(Service, "criteria-unavailable", "Dịch vụ bộ tiêu chí tạm thời không phản hồi");
    public static readonly ProblemKind<ServiceUnavailableProblem> IntakeUnavailable = new(Service, "intake-unavailable", "Chưa lưu được phiếu khảo sát, vui lòng gửi lại");
    public static readonly ProblemKind<ConflictProblem> QuestionnairePublished = new(Service, "questionnaire-published", "Bảng hỏi đã công bố, không được thay đổi");
    public static readonly ProblemKind<ConflictProblem> QuestionnaireInUse = new(Service, "questionnaire-in-use", "Bảng hỏi đã có phiếu trả lời, không được xóa");
    public static readonly ProblemKind<BadRequestProblem> InvalidQuestionnaire = new(Service, "invalid-questionnaire", "Bảng hỏi không hợp lệ");
    public static readonly ProblemKind<BadRequestProblem> UnknownRound = new(Service, "unknown-round", "Đợt đánh giá không tồn tại");
    public static readonly ProblemKind<BadRequestProblem> UnknownSubCriterion = new(Service, "unknown-sub-criterion", "Câu hỏi gắn với nội dung không chấm bằng khảo sát");
    public static readonly ProblemKind<NotFoundProblem> QuestionnaireNotFound = new(Service, "questionnaire-not-found", "Không tìm thấy bảng hỏi đã công bố");
    public static readonly ProblemKind<BadRequestProblem> MissingResponseId = new(Service, Reasons.MissingResponseId, "Thiếu mã phiếu (responseId)");
    public static readonly ProblemKind<BadRequestProblem> BatchTooLarge = new(Service, Reasons.BatchTooLarge, "Số phiếu trong lô không hợp lệ");
    public static readonly ProblemKind<ConflictProblem> ResponseConflict = new(Service, Reasons.Conflict, "Mã phiếu đã được dùng cho nội dung khác", global::Grpc.Core.StatusCode.AlreadyExists);

    /// <summary>A response intake refused (422), by its <see cref="Reasons"/> code; the same codes as the batch's per-item reasons.</summary>
    public static readonly IReadOnlyDictionary<string, ProblemKind<UnprocessableProblem>> Rejections = new[]
    {
        new ProblemKind<UnprocessableProblem>(Service, Reasons.UnknownQuestionnaire, "Bảng hỏi chưa công bố hoặc không tồn tại"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.UnknownUnit, "Đơn vị không thuộc đợt khảo sát"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.InvalidUnitId, "Mã đơn vị không hợp lệ"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.WindowClosed, "Ngoài thời gian khảo sát"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.UnknownQuestion, "Câu hỏi không có trong bảng hỏi"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.AnswerOutsideScale, "Câu trả lời nằm ngoài thang đo"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.MissingRequiredAnswer, "Thiếu câu trả lời bắt buộc"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.InvalidProfile, "Thông tin người trả lời không hợp lệ"),
        new ProblemKind<UnprocessableProblem>(Service, Reasons.MalformedRow, "Dòng dữ liệu sai định dạng"),
        new ProblemKind<UnprocessableProblem>(Service, "invalid-encoding", "Tệp không được mã hóa UTF-8"),
        new ProblemKind<UnprocessableProblem>(Service, "malformed-csv", "Tệp CSV sai định dạng"),
    }.ToDictionary(kind => kind.Code);

    /// <summary>Any other refusal intake may name keeps its code in the type (a new reason is a 422 until it gets its own title here).</summary>
    public static UnprocessableProblem Rejected(string reason, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        (Rejections.TryGetValue(reason, out var kind) ? kind : new ProblemKind<UnprocessableProblem>(Service, reason, "Phiếu khảo sát bị từ chối"))
            .With(detail, extensions);

    public static ForbiddenProblem Forbidden(string detail = "Your role may not do this.") => ForbiddenKind.With(detail);

    public static NotFoundProblem NotFound(string what) => NotFoundKind.With($"{what} not found.");

    public static ServiceUnavailableProblem CriteriaUnavailable() => CriteriaUnavailableKind.With("The criteria service did not answer; try again.");
}
