using System.Globalization;

namespace ParPlatform.Web.Platform;

/// <summary>
/// The console's language and formats: Vietnamese first (vi-VN: "79,88", dd/MM/yyyy, times in Vietnam's time zone),
/// English when the user switches. Each text is written once where it is used, in both languages:
/// <c>@Ui.T("Tự đánh giá", "Self-assessment")</c>.
/// </summary>
public static class Ui
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB"); // dd/MM/yyyy as well
    public static readonly string[] Cultures = [Vietnamese.Name, English.Name];
    private static readonly TimeZoneInfo VietnamTime = FindVietnamTime();

    public static bool IsVietnamese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "en";

    public static string Language => IsVietnamese ? "vi" : "en";

    public static string T(string vietnamese, string english) => IsVietnamese ? vietnamese : english;

    /// <summary>Points as the set's step shows them ("2,25", "15,00"); the services send exactly those decimals.</summary>
    public static string Points(decimal? value) => value?.ToString(CultureInfo.CurrentCulture) ?? "–";

    public static string Percent(decimal? value, int decimals = 2) =>
        value is { } number ? number.ToString("N" + decimals, CultureInfo.CurrentCulture) + "%" : "–";

    public static DateTimeOffset InVietnam(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, VietnamTime);

    public static string Date(DateTimeOffset? at) => at is { } value ? InVietnam(value).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : "–";

    /// <summary>A calendar day (a unit's validity, a lineage's effective date): no time zone to convert.</summary>
    public static string Date(DateOnly? day) => day?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "–";

    /// <summary>What an official typed as Vietnam's wall clock (a <c>datetime-local</c> input) as an instant: +07:00 all year.</summary>
    public static DateTimeOffset FromVietnamWallClock(System.DateTime local) =>
        new(System.DateTime.SpecifyKind(local, DateTimeKind.Unspecified), VietnamTime.BaseUtcOffset);

    /// <summary>
    /// How an instant is typed in the console (<see cref="Features.Shared.DateTimeField"/>): Vietnam's wall clock,
    /// day first and 24-hour, whatever the browser's locale (a native <c>datetime-local</c> follows the browser's own,
    /// month first with AM/PM on an English one).
    /// </summary>
    public const string DateTimeInputFormat = "dd/MM/yyyy HH:mm";

    public static string DateTimeInput(DateTimeOffset at) => InVietnam(at).ToString(DateTimeInputFormat, CultureInfo.InvariantCulture);

    /// <summary>"5/1/2027 8:30" or "05/01/2027 08:30" (5 January) as Vietnam's wall clock; anything else is null.</summary>
    public static DateTimeOffset? ParseDateTimeInput(string? text) =>
        System.DateTime.TryParseExact(text?.Trim(), ["d/M/yyyy H:mm", "d/M/yyyy H:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out var local)
            ? FromVietnamWallClock(local)
            : null;

    public static string DateTime(DateTimeOffset? at) => at is { } value ? InVietnam(value).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) : "–";

    /// <summary>"còn 3 ngày 4 giờ" / "3 d 4 h left"; "đã khoá" once past.</summary>
    public static string TimeLeft(DateTimeOffset deadline, DateTimeOffset now)
    {
        var left = deadline - now;
        if (left <= TimeSpan.Zero)
        {
            return T("đã hết hạn", "closed");
        }
        return left.TotalDays >= 1
            ? T($"còn {(int)left.TotalDays} ngày {left.Hours} giờ", $"{(int)left.TotalDays} d {left.Hours} h left")
            : left.TotalHours >= 1
                ? T($"còn {(int)left.TotalHours} giờ {left.Minutes} phút", $"{(int)left.TotalHours} h {left.Minutes} min left")
                : T($"còn {left.Minutes} phút {left.Seconds} giây", $"{left.Minutes} min {left.Seconds} s left");
    }

    public static string Role(string? role) => role switch
    {
        "unit-officer" => T("Cán bộ đơn vị", "Unit officer"),
        "unit-leader" => T("Lãnh đạo đơn vị", "Unit leader"),
        "appraiser" => T("Thẩm định viên", "Appraiser"),
        "provincial-admin" => T("Quản trị cấp tỉnh", "Provincial administrator"),
        "national-admin" => T("Quản trị Bộ Nội vụ", "National administrator"),
        "survey-operator" => T("Vận hành điều tra XHH", "Survey operator"),
        "viewer" => T("Người xem", "Viewer"),
        _ => role ?? "",
    };

    /// <summary>An assessment's state in words (the submission service's status names).</summary>
    public static string Status(string? status) => status switch
    {
        null => T("Chưa bắt đầu", "Not started"),
        "Draft" => T("Đang tự đánh giá", "Self-assessing"),
        "SubmittedForApproval" => T("Chờ lãnh đạo phê duyệt", "Awaiting the leader's approval"),
        "Approved" => T("Đã phê duyệt, chờ thẩm định", "Approved, awaiting appraisal"),
        "UnderAppraisal" => T("Đang thẩm định", "Under appraisal"),
        "Finalized" => T("Đã hoàn thành thẩm định", "Appraisal finalised"),
        _ => status,
    };

    private static TimeZoneInfo FindVietnamTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("ICT", TimeSpan.FromHours(7), "Indochina Time", "Indochina Time");
        }
    }
}
