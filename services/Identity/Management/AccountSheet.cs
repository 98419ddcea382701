using System.Globalization;
using System.Text;
using MiniExcelLibs;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Identity.Management;

/// <summary>One row of an accounts sheet as the province keeps it (row numbers as the spreadsheet shows them).</summary>
public sealed record SheetRow(int Row, string? UnitCode, string? FullName, string? Email, string? Role, string? UserName, string? Phone);

/// <summary>
/// Reads an accounts sheet: CSV (UTF-8, with or without a byte order mark, ';' or ',' between cells, RFC 4180 quotes)
/// or XLSX (its first sheet). Headers are matched without case, spaces or diacritics, in English or Vietnamese:
/// unit_code / Mã đơn vị, full_name / Họ tên, email / Thư điện tử, role / Vai trò, and optionally user_name /
/// Tên đăng nhập and phone / Số điện thoại.
/// </summary>
public static class AccountSheet
{
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["unitcode"] = "unit", ["madonvi"] = "unit", ["donvi"] = "unit",
        ["fullname"] = "name", ["hoten"] = "name", ["hovaten"] = "name", ["displayname"] = "name",
        ["email"] = "email", ["thudientu"] = "email",
        ["role"] = "role", ["vaitro"] = "role",
        ["username"] = "user", ["tendangnhap"] = "user",
        ["phone"] = "phone", ["sodienthoai"] = "phone", ["dienthoai"] = "phone",
    };

    private static readonly Dictionary<string, string> RoleLabels = new()
    {
        ["canbo"] = PlatformRoles.UnitOfficer, ["canbodonvi"] = PlatformRoles.UnitOfficer,
        ["lanhdao"] = PlatformRoles.UnitLeader, ["lanhdaodonvi"] = PlatformRoles.UnitLeader,
        ["thamdinh"] = PlatformRoles.Appraiser, ["thamdinhvien"] = PlatformRoles.Appraiser,
        ["dieutra"] = PlatformRoles.SurveyOperator, ["dieutravien"] = PlatformRoles.SurveyOperator,
        ["xem"] = PlatformRoles.Viewer, ["nguoixem"] = PlatformRoles.Viewer,
        ["quantri"] = PlatformRoles.ProvincialAdmin, ["quantritinh"] = PlatformRoles.ProvincialAdmin,
    };

    /// <returns>The rows, or why the sheet as a whole cannot be read.</returns>
    public static (IReadOnlyList<SheetRow> Rows, string? Error) Read(byte[] content, bool xlsx)
    {
        try
        {
            var table = xlsx ? ReadXlsx(content) : ReadCsv(content);
            if (table.Count == 0)
            {
                return ([], "The sheet is empty.");
            }
            var columns = table[0].Select(header => Aliases.GetValueOrDefault(Key(header))).ToList();
            var missing = new[] { ("unit", "unit_code"), ("name", "full_name"), ("email", "email"), ("role", "role") }
                .Where(required => !columns.Contains(required.Item1)).Select(required => required.Item2).ToList();
            if (missing.Count > 0)
            {
                return ([], $"The sheet lacks the column(s) {string.Join(", ", missing)} (headers found: {string.Join(", ", table[0])}).");
            }
            string? Cell(IReadOnlyList<string?> cells, string column) =>
                columns.IndexOf(column) is var index and >= 0 && index < cells.Count && !string.IsNullOrWhiteSpace(cells[index]) ? cells[index]!.Trim() : null;
            var rows = table.Skip(1)
                .Select((cells, index) => (cells, number: index + 2))
                .Where(row => row.cells.Any(cell => !string.IsNullOrWhiteSpace(cell)))
                .Select(row => new SheetRow(row.number, Cell(row.cells, "unit"), Cell(row.cells, "name"), Cell(row.cells, "email"),
                    Cell(row.cells, "role"), Cell(row.cells, "user"), Cell(row.cells, "phone")))
                .ToList();
            return (rows, null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return ([], $"Not a readable {(xlsx ? "XLSX" : "CSV")} sheet: {exception.Message}");
        }
    }

    /// <summary>A role code (unit-officer) or its Vietnamese label (Cán bộ đơn vị); null when neither.</summary>
    public static string? Role(string? cell) =>
        cell is null ? null
        : AccountRules.PersonRoles.Contains(cell.Trim().ToLowerInvariant()) ? cell.Trim().ToLowerInvariant()
        : RoleLabels.GetValueOrDefault(Key(cell));

    /// <summary>Lower case without diacritics, spaces, '_' or '-': "Mã đơn vị" -> "madonvi".</summary>
    public static string Key(string? text)
    {
        var builder = new StringBuilder();
        foreach (var character in (text ?? "").Replace('đ', 'd').Replace('Đ', 'D').Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(character) != UnicodeCategory.NonSpacingMark && char.IsLetterOrDigit(character))
            {
                builder.Append(char.ToLowerInvariant(character));
            }
        }
        return builder.ToString();
    }

    private static List<IReadOnlyList<string?>> ReadXlsx(byte[] content)
    {
        using var stream = new MemoryStream(content);
        return stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .Select(row => (IReadOnlyList<string?>)row.Values.Select(value => value switch
            {
                null => null,
                double number => number.ToString(CultureInfo.InvariantCulture),
                _ => value.ToString(),
            }).ToList())
            .ToList();
    }

    private static List<IReadOnlyList<string?>> ReadCsv(byte[] content)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        var firstLine = text.Split('\n', 2)[0];
        var separator = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        var rows = new List<IReadOnlyList<string?>>();
        var cells = new List<string?>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (quoted)
            {
                if (character == '"' && index + 1 < text.Length && text[index + 1] == '"') { cell.Append('"'); index++; }
                else if (character == '"') quoted = false;
                else cell.Append(character);
            }
            else if (character == '"' && cell.Length == 0) quoted = true;
            else if (character == separator) { cells.Add(cell.ToString()); cell.Clear(); }
            else if (character == '\n')
            {
                cells.Add(cell.ToString().TrimEnd('\r'));
                cell.Clear();
                rows.Add(cells);
                cells = [];
            }
            else cell.Append(character);
        }
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString().TrimEnd('\r'));
            rows.Add(cells);
        }
        return rows;
    }
}
