using System.Globalization;
using MiniExcelLibs;
using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.ImportExport;

/// <summary>
/// A set as provincial staff keep it: sheet "Tiêu chí" holds one row per node in tree order (the code says where it
/// sits), sheet "Thông tin" the set's own properties and "Xếp loại" its bands. Reading what was written gives back
/// the same definition.
/// </summary>
public static class SetExcel
{
    public const string NodesSheet = "Tiêu chí";
    public const string InfoSheet = "Thông tin";
    public const string BandsSheet = "Xếp loại";
    private const string Appraised = "Thẩm định";
    private const string Survey = "Điều tra XHH";
    private const string Bonus = "Điểm thưởng";
    private const string Penalty = "Điểm trừ";
    private static readonly string[] Levels = ["Lĩnh vực", "Tiêu chí", "Tiêu chí thành phần"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static byte[] Write(CriteriaSetDefinition set)
    {
        var nodes = Tree.Flatten(set.Fields).Select(node => new Dictionary<string, object?>
        {
            ["Mã"] = node.Code,
            ["Tên"] = node.Name,
            ["Cấp"] = Levels[Math.Min(node.Depth, Levels.Length) - 1],
            ["Điểm tối đa"] = node.MaxPoints,
            ["Điểm tối thiểu"] = node.MinPoints,
            ["Phương thức"] = node.Method switch { ScoringMethod.Appraised => Appraised, ScoringMethod.Survey => Survey, _ => null },
            ["Tài liệu kiểm chứng"] = node.EvidenceRequired ? "Có" : "Không",
            ["Hướng dẫn chấm"] = node.Guidance,
            ["Phương án chấm"] = node.Rule?.Options is { } options ? string.Join("; ", options.Select(o => $"{o.Label}={Text(o.Points)}")) : null,
            ["Thang ngưỡng"] = node.Rule?.Tiers is { } tiers ? string.Join("; ", tiers.Select(t => $"{Text(t.MinPercent)}%={Text(t.Points)}")) : null,
            ["Loại điểm"] = node.IsBonus ? Bonus : node.IsPenalty ? Penalty : null,
        }).ToList();
        var info = new (string Key, object? Value)[]
        {
            ("code", set.Code), ("name", set.Name), ("year", set.Year), ("level", set.Level.ToString()),
            ("maxPoints", set.MaxPoints), ("appraisalPoints", set.AppraisalPoints), ("surveyPoints", set.SurveyPoints),
            ("scoreStep", set.ScoreStep), ("bonusCap", set.BonusCap), ("penaltyCap", set.PenaltyCap),
            ("referenceSkeleton", set.ReferenceSkeleton ? "true" : "false"), ("notes", set.Notes),
        }.Select(pair => new Dictionary<string, object?> { ["Thuộc tính"] = pair.Key, ["Giá trị"] = pair.Value }).ToList();
        var bands = set.Bands.Select(band => new Dictionary<string, object?> { ["Xếp loại"] = band.Label, ["Từ (%)"] = band.MinPercent }).ToList();

        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object> { [NodesSheet] = nodes, [InfoSheet] = info, [BandsSheet] = bands }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <returns>The definition, or the problems found, keyed by cell ("Tiêu chí!D5") or node code.</returns>
    public static (CriteriaSetDefinition? Set, Dictionary<string, string[]> Errors) Read(Stream workbook)
    {
        var errors = new Dictionary<string, string[]>();
        try
        {
            var info = Rows(workbook, InfoSheet, errors).GroupBy(row => row.Str("Thuộc tính") ?? "").ToDictionary(group => group.Key, group => group.First());
            decimal? InfoNumber(string key) => info.TryGetValue(key, out var row) ? row.Dec("Giá trị") : null;
            string? InfoText(string key) => info.TryGetValue(key, out var row) ? row.Str("Giá trị") : null;
            var bands = Rows(workbook, BandsSheet, errors)
                .Select(row => new ClassificationBand(row.Str("Xếp loại") ?? "", row.Dec("Từ (%)") ?? 0)).ToList();
            var nodes = Rows(workbook, NodesSheet, errors).Select(ReadNode).ToList();
            var codes = nodes.Select(node => node.Code).ToHashSet();
            foreach (var orphan in nodes.Where(node => Tree.ParentCode(node.Code) is { } parent && !codes.Contains(parent)))
                errors[orphan.Code] = [$"No row for its parent '{Tree.ParentCode(orphan.Code)}'."];

            var level = EvaluatedLevel.Province;
            if (InfoText("level") is { } levelText && !Enum.TryParse(levelText, ignoreCase: true, out level))
                info["level"].Fail<object>("Giá trị", $"is not one of {string.Join(", ", Enum.GetNames<EvaluatedLevel>())}.");
            var set = new CriteriaSetDefinition(
                InfoText("code") ?? "", InfoText("name") ?? "", (int)(InfoNumber("year") ?? 0), level,
                InfoNumber("maxPoints") ?? 0, InfoNumber("appraisalPoints") ?? 0,
                InfoNumber("surveyPoints") ?? 0, bands, Children(nodes, null) ?? [],
                InfoNumber("scoreStep"), InfoNumber("bonusCap"), InfoNumber("penaltyCap"),
                InfoText("referenceSkeleton") == "true", InfoText("notes"));
            return (errors.Count == 0 ? Tree.Normalize(set) : null, errors);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            errors["workbook"] = [$"Not a readable criteria workbook: {exception.Message}"];
            return (null, errors);
        }
    }

    private static CriteriaNode ReadNode(SheetRow row)
    {
        var method = row.Str("Phương thức") switch
        {
            null => (ScoringMethod?)null,
            Appraised => ScoringMethod.Appraised,
            Survey => ScoringMethod.Survey,
            _ => row.Fail<ScoringMethod?>("Phương thức", $"is neither '{Appraised}' nor '{Survey}'."),
        };
        var options = Pairs(row, "Phương án chấm", percent: false)?.Select(p => new GradedOption(p.Label, p.Points)).ToList();
        var tiers = Pairs(row, "Thang ngưỡng", percent: true)?.Select(p => new Tier(p.Percent, p.Points)).ToList();
        var kind = row.Str("Loại điểm");
        return new CriteriaNode(
            row.Str("Mã") ?? "", row.Str("Tên") ?? "", row.Dec("Điểm tối đa"), row.Dec("Điểm tối thiểu") ?? 0,
            method, row.Str("Tài liệu kiểm chứng") is "Có" or "x" or "X", row.Str("Hướng dẫn chấm"),
            options is null && tiers is null ? null : new ScoringRule(options, tiers), kind == Bonus, kind == Penalty);
    }

    private static List<CriteriaNode>? Children(List<CriteriaNode> nodes, string? parent)
    {
        var children = nodes.Where(node => Tree.ParentCode(node.Code) == parent)
            .Select(node => node with { Children = Children(nodes, node.Code) }).ToList();
        return children.Count > 0 ? children : null;
    }

    /// <summary>"Đạt=1; Một phần=0,5" into label/points pairs; with <paramref name="percent"/>, "100%=2; 80%=1" into tiers.</summary>
    private static List<(string Label, decimal Percent, decimal Points)>? Pairs(SheetRow row, string column, bool percent)
    {
        if (row.Str(column) is not { } text) return null;
        var pairs = new List<(string, decimal, decimal)>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.LastIndexOf('=');
            var label = equals > 0 ? part[..equals].Trim() : "";
            var points = equals > 0 ? VietnameseNumber.Parse(part[(equals + 1)..]) : null;
            var bound = percent ? VietnameseNumber.Parse(label.TrimEnd('%')) : 0m;
            if (points is null || bound is null)
            {
                row.Fail<object>(column, $"has '{part}', which is not of the form {(percent ? "percent%=points (80%=1,5)" : "label=points (Một phần=0,5)")}.");
                continue;
            }
            pairs.Add((label, Tree.Canonical(bound.Value), Tree.Canonical(points.Value)));
        }
        return pairs;
    }

    /// <summary>The sheet's non-empty rows, each knowing its row number (as Excel shows it) and its columns' letters.</summary>
    private static List<SheetRow> Rows(Stream workbook, string sheet, Dictionary<string, string[]> errors)
    {
        workbook.Position = 0;
        return workbook.Query(useHeaderRow: true, sheetName: sheet, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .Select((cells, index) => new SheetRow(sheet, index + 2, cells, errors))
            .Where(row => row.Cells.Values.Any(value => value is not null && value.ToString() != ""))
            .ToList();
    }

    /// <summary>One row of a sheet; every problem is reported at its cell: "Tiêu chí!D5", with sheet, row, column and value.</summary>
    private sealed class SheetRow(string sheet, int number, IDictionary<string, object?> cells, Dictionary<string, string[]> errors)
    {
        public IDictionary<string, object?> Cells => cells;

        public object? Get(string column) => cells.TryGetValue(column, out var value) ? value : null;

        public string? Str(string column) =>
            Get(column) switch
            {
                null => null,
                double number => ((decimal)number).ToString(Invariant),
                var value => value.ToString() is { Length: > 0 } text && text.Trim() is { Length: > 0 } trimmed ? trimmed : null,
            };

        // Cells hold numbers as doubles; decimal's conversion keeps 15 significant digits, beyond any score's precision.
        // Text cells hold what the official typed: "1,5" (vi-VN), "1.5" or "0,25" all mean what they say.
        public decimal? Dec(string column) => Get(column) switch
        {
            null => null,
            double number => Tree.Canonical((decimal)number),
            decimal number => Tree.Canonical(number),
            int or long or float => Tree.Canonical(Convert.ToDecimal(Get(column), Invariant)),
            var value when value.ToString()!.Trim().Length == 0 => null,
            var value => VietnameseNumber.Parse(value.ToString()!) is { } parsed
                ? Tree.Canonical(parsed)
                : Fail<decimal?>(column, "is not a number (write 1,5 or 1.5; no thousands separators)."),
        };

        public T Fail<T>(string column, string problem)
        {
            var letter = cells.Keys.Select((key, index) => (key, index)).FirstOrDefault(pair => pair.key == column) is { key: not null } found
                ? ColumnLetter(found.index) : "?";
            var cell = $"{sheet}!{letter}{number}";
            var message = $"Sheet '{sheet}', row {number}, column {letter} '{column}': '{Get(column)}' {problem}";
            errors[cell] = [.. errors.GetValueOrDefault(cell) ?? [], message];
            return default!;
        }

        private static string ColumnLetter(int index) => index < 26 ? ((char)('A' + index)).ToString() : ColumnLetter(index / 26 - 1) + (char)('A' + index % 26);
    }

    private static string Text(decimal value) => value.ToString(Invariant);
}

/// <summary>
/// Numbers as a Vietnamese official types them: the decimal separator is a comma or a point ("1,5", "1.5", "0,25",
/// "-2"), never a thousands separator (points and percentages are small). A text with both, with a separator twice,
/// or with anything but digits and one sign is not a number, so "1,0" can never become 10.
/// </summary>
public static class VietnameseNumber
{
    public static decimal? Parse(string text)
    {
        var trimmed = text.Trim().Replace('\u2212', '-');
        if (trimmed.Length == 0 || trimmed.Count(c => c is ',' or '.') > 1) return null;
        var digits = trimmed.TrimStart('-', '+');
        if (trimmed.Length - digits.Length > 1 || digits.Length == 0 || digits[0] is ',' or '.' && digits.Length == 1) return null;
        if (!digits.All(c => char.IsAsciiDigit(c) || c is ',' or '.')) return null;
        return decimal.TryParse(trimmed.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value : null;
    }
}
