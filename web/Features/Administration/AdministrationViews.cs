using System.Globalization;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Features.Administration;

// What the administration pages read of the identity and criteria services' answers (their JSON, camelCase).

/// <summary>An account as the identity service shows it to administrators (never a password hash).</summary>
public sealed record AccountView(
    Guid Id, string UserName, string DisplayName, string? Email, string? Phone, string Role, string Tenant, string? UnitId,
    bool Disabled, bool MustChangePassword, bool LockedOut, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt);

public sealed record AccountPage(IReadOnlyList<AccountView> Items, int Total, int Page, int PageSize);

public sealed record AccountWithPassword(AccountView Account, string OneTimePassword);

public sealed record OneTimePasswordReply(Guid AccountId, string UserName, string OneTimePassword);

public sealed record ImportRowError(string Field, string Code, string Detail);

public sealed record ImportRow(int Row, string? UserName, string? DisplayName, string? Role, string? UnitCode, string? UnitId, string Status,
    IReadOnlyList<ImportRowError> Errors);

public sealed record ImportCredential(string UserName, string DisplayName, string Role, string? UnitCode, string OneTimePassword);

public sealed record ImportReport(bool DryRun, string Tenant, int Rows, int ToCreate, int Existing, int Invalid, IReadOnlyList<ImportRow> Report,
    IReadOnlyList<ImportCredential> Created);

/// <summary>An evaluated unit (criteria service) with its validity; <c>ValidTo</c> is the last valid day.</summary>
public sealed record RegistryUnit(Guid Id, string TenantId, string Code, string Name, string Type, Guid? ParentId, DateOnly ValidFrom, DateOnly? ValidTo);

/// <summary>A merger, split or rename of the tenant's units (criteria service), as recorded.</summary>
public sealed record LineageEvent(Guid Id, string Kind, DateOnly EffectiveOn, IReadOnlyList<Guid> FromUnitIds, IReadOnlyList<Guid> ToUnitIds, string? Note);

public sealed record AdminRoundWindows(
    DateTimeOffset SelfAssessmentOpensAt, DateTimeOffset SelfAssessmentClosesAt, DateTimeOffset AppraisalOpensAt,
    DateTimeOffset AppraisalClosesAt, DateTimeOffset SurveyOpensAt, DateTimeOffset SurveyClosesAt, DateTimeOffset PublicationAt);

public sealed record AdminRound(Guid Id, string TenantId, int Year, string Name, Guid CriteriaSetId, string RankingGroup, AdminRoundWindows Windows,
    Guid? PreviousRoundId);

public sealed record WindowChange(string Window, DateTimeOffset? OldValue, DateTimeOffset? NewValue, string ChangedBy, string ChangedByName, DateTimeOffset ChangedAt, string? Reason);

public sealed record AdminRoundUnit(RegistryUnit Unit, IReadOnlyList<string> NotApplicableCodes, decimal ApplicableMaxPoints);

/// <summary>Words and shapes shared by the administration pages.</summary>
public static class Admin
{
    /// <summary>The roles an administrator may grant, in the order the form lists them (the identity service checks again).</summary>
    public static IReadOnlyList<string> GrantableRoles(string? callerRole) => callerRole == "national-admin"
        ? ["national-admin", "provincial-admin", "appraiser", "unit-officer", "unit-leader", "survey-operator", "viewer"]
        : ["provincial-admin", "appraiser", "unit-officer", "unit-leader", "survey-operator", "viewer"];

    public static string Level(string type) => type switch
    {
        "Ministry" => Ui.T("Bộ, ngành", "Ministry"),
        "Province" => Ui.T("Tỉnh", "Province"),
        "Department" => Ui.T("Sở, ban, ngành", "Department"),
        "District" => Ui.T("Cấp huyện", "District"),
        "Commune" => Ui.T("Cấp xã", "Commune"),
        _ => type,
    };

    public static string Lineage(string? kind) => kind switch
    {
        "Merge" => Ui.T("Hợp nhất", "Merger"),
        "Split" => Ui.T("Chia tách", "Split"),
        "Rename" => Ui.T("Đổi tên", "Rename"),
        _ => kind ?? "",
    };

    /// <summary>The seven instants of a round in the order they are worked, with their names as the service and its audit spell them.</summary>
    public static IReadOnlyList<(string Name, string Label, DateTimeOffset Value)> Named(AdminRoundWindows w) =>
        new (string Name, DateTimeOffset Value)[]
        {
            ("selfAssessmentOpensAt", w.SelfAssessmentOpensAt), ("selfAssessmentClosesAt", w.SelfAssessmentClosesAt),
            ("appraisalOpensAt", w.AppraisalOpensAt), ("appraisalClosesAt", w.AppraisalClosesAt),
            ("surveyOpensAt", w.SurveyOpensAt), ("surveyClosesAt", w.SurveyClosesAt), ("publicationAt", w.PublicationAt),
        }.Select(window => (window.Name, WindowLabel(window.Name), window.Value)).ToList();

    public static string WindowLabel(string name) => name switch
    {
        "selfAssessmentOpensAt" => Ui.T("Mở tự đánh giá", "Self-assessment opens"),
        "selfAssessmentClosesAt" => Ui.T("Đóng tự đánh giá", "Self-assessment closes"),
        "appraisalOpensAt" => Ui.T("Mở thẩm định", "Appraisal opens"),
        "appraisalClosesAt" => Ui.T("Đóng thẩm định", "Appraisal closes"),
        "surveyOpensAt" => Ui.T("Mở điều tra XHH", "Survey opens"),
        "surveyClosesAt" => Ui.T("Đóng điều tra XHH", "Survey closes"),
        "publicationAt" => Ui.T("Công bố", "Publication"),
        _ => name,
    };
}
