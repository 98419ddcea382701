namespace ParPlatform.Web.Features.Appraisal;

// What the leader's and the appraiser's pages read of the submission and evidence services (their JSON, camelCase).

public sealed record AssessmentDetail(
    Guid Id, Guid RoundId, string TenantId, Guid UnitId, string Status, int AppraisalRound, int Revision, IReadOnlyList<ItemDetail> Items);

public sealed record ItemDetail(
    string Code, string FieldCode, string FieldName, string Name, string Kind, decimal MaxPoints, decimal MinPoints, bool EvidenceRequired,
    decimal? SelfScore, string? Explanation, Guid[]? EvidenceIds, decimal? AppraisedScore1, decimal? AppraisedScore2,
    string? AppraiserComment, DateTimeOffset? SupplementaryDueAt, string? SupplementaryNote, string? UpdatedBy, DateTimeOffset? UpdatedAt,
    int Version, IReadOnlyList<AppraisalValueView>? Appraisals)
{
    /// <summary>The score that counts (the service's rule): the latest appraisal round's, else the self score.</summary>
    public decimal? Counting => AppraisedScore2 ?? AppraisedScore1 ?? SelfScore;

    public bool HasEvidence => EvidenceIds is { Length: > 0 };

    /// <summary>Evidence required, none attached (an explanation may stand in for it); as the service's rule, a bonus or
    /// penalty item scored 0 claims nothing to prove.</summary>
    public bool WithoutEvidence => EvidenceRequired && !(Kind != "regular" && SelfScore == 0) && !HasEvidence;

    public bool SupplementaryOpen(DateTimeOffset now) => SupplementaryDueAt > now;
}

public sealed record AppraisalValueView(int Revision, int AppraisalRound, decimal Score, string? Comment, string UserId, string UserName, DateTimeOffset At);

public sealed record AuditEntryView(long Id, DateTimeOffset At, string UserId, string UserName, string Role, string? ItemCode, string Field,
    string? Before, string? After, string? Reason);

public sealed record RoundProgressView(Guid RoundId, int Units, IReadOnlyList<Guid> NotSubmitted, IReadOnlyList<UnitProgressView> Progress);

public sealed record UnitProgressView(Guid UnitId, string UnitName, Guid? AssessmentId, string Status, int Items, int Scored, int MissingEvidence,
    IReadOnlyList<FieldScoreView> Fields);

public sealed record FieldScoreView(string FieldCode, string FieldName, decimal MaxPoints, decimal? SelfScore, decimal? AppraisedScore);


public static class Review
{
    /// <summary>Per field, in the set's order: maximum, self-scored and counting totals (the progress API's sums, from the items).</summary>
    public static IReadOnlyList<FieldScoreView> Fields(IEnumerable<ItemDetail> items) =>
        items.GroupBy(item => (item.FieldCode, item.FieldName))
            .Select(field => new FieldScoreView(field.Key.FieldCode, field.Key.FieldName, field.Sum(item => item.MaxPoints),
                field.Sum(item => item.SelfScore ?? 0), field.Sum(item => item.Counting ?? 0)))
            .ToList();

    /// <summary>An audit field in words.</summary>
    public static string Field(string field) => field switch
    {
        "selfScore" => Platform.Ui.T("Điểm tự chấm", "Self score"),
        "explanation" => Platform.Ui.T("Giải trình", "Explanation"),
        "evidenceIds" => Platform.Ui.T("Tài liệu kiểm chứng", "Evidence"),
        "appraisedScore1" => Platform.Ui.T("Điểm thẩm định lần 1", "Appraised score, round 1"),
        "appraisedScore2" => Platform.Ui.T("Điểm thẩm định lần 2", "Appraised score, round 2"),
        "appraiserComment" => Platform.Ui.T("Nhận xét thẩm định", "Appraiser's comment"),
        "supplementaryDueAt" => Platform.Ui.T("Hạn bổ sung tài liệu", "Supplementary evidence due"),
        "status" => Platform.Ui.T("Trạng thái", "Status"),
        _ => field,
    };

    /// <summary>A value of the audit log as shown: dates in Vietnam time, statuses and scores in words.</summary>
    public static string Value(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "–";
        }
        if (field == "status")
        {
            return Platform.Ui.Status(value);
        }
        if (field == "supplementaryDueAt" && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
        {
            return Platform.Ui.DateTime(at);
        }
        if (field is "selfScore" or "appraisedScore1" or "appraisedScore2"
            && decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var points))
        {
            return Platform.Ui.Points(points);
        }
        return value;
    }

    /// <summary>A score as typed: "2,25" (vi-VN) or "2.25"; null when it is no number.</summary>
    public static decimal? ParseScore(string? text)
    {
        var normal = text?.Trim().Replace(" ", "").Replace(',', '.');
        return decimal.TryParse(normal, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out var score) ? score : null;
    }

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024d / 1024d).ToString("N1", System.Globalization.CultureInfo.CurrentCulture) + " MB"
        : (bytes / 1024d).ToString("N0", System.Globalization.CultureInfo.CurrentCulture) + " KB";
}
