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

    /// <returns>The definition, or the problems found, keyed by row ("Tiêu chí!5") or node code.</returns>
    public static (CriteriaSetDefinition? Set, Dictionary<string, string[]> Errors) Read(Stream workbook)
    {
        var errors = new Dictionary<string, string[]>();
        try
        {
            var info = Rows(workbook, InfoSheet).ToDictionary(row => Str(row, "Thuộc tính") ?? "", row => Get(row, "Giá trị"));
            var bands = Rows(workbook, BandsSheet)
                .Select(row => new ClassificationBand(Str(row, "Xếp loại") ?? "", Dec(Get(row, "Từ (%)")) ?? 0)).ToList();
            var rows = Rows(workbook, NodesSheet).Select((row, index) => (Row: row, Number: index + 2)).ToList();
            var nodes = rows.Select(r => ReadNode(r.Row, $"{NodesSheet}!{r.Number}", errors)).ToList();
            var codes = nodes.Select(node => node.Code).ToHashSet();
            foreach (var orphan in nodes.Where(node => Tree.ParentCode(node.Code) is { } parent && !codes.Contains(parent)))
                errors[orphan.Code] = [$"No row for its parent '{Tree.ParentCode(orphan.Code)}'."];

            var set = new CriteriaSetDefinition(
                Str(info, "code") ?? "", Str(info, "name") ?? "", (int)(Dec(Get(info, "year")) ?? 0),
                Enum.TryParse<EvaluatedLevel>(Str(info, "level"), ignoreCase: true, out var level) ? level : EvaluatedLevel.Province,
                Dec(Get(info, "maxPoints")) ?? 0, Dec(Get(info, "appraisalPoints")) ?? 0,
                Dec(Get(info, "surveyPoints")) ?? 0, bands, Children(nodes, null) ?? [],
                Dec(Get(info, "scoreStep")), Dec(Get(info, "bonusCap")), Dec(Get(info, "penaltyCap")),
                Str(info, "referenceSkeleton") == "true", Str(info, "notes"));
            return (errors.Count == 0 ? Tree.Normalize(set) : null, errors);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            errors["workbook"] = [$"Not a readable criteria workbook: {exception.Message}"];
            return (null, errors);
        }
    }

    private static CriteriaNode ReadNode(IDictionary<string, object?> row, string where, Dictionary<string, string[]> errors)
    {
        var problems = new List<string>();
        var method = Str(row, "Phương thức") switch
        {
            null => (ScoringMethod?)null,
            Appraised => ScoringMethod.Appraised,
            Survey => ScoringMethod.Survey,
            var other => Fail<ScoringMethod?>(problems, $"Phương thức '{other}' is neither '{Appraised}' nor '{Survey}'."),
        };
        var options = Pairs(Str(row, "Phương án chấm"), problems)?.Select(p => new GradedOption(p.Key, p.Value)).ToList();
        var tiers = Pairs(Str(row, "Thang ngưỡng")?.Replace("%", ""), problems)
            ?.Select(p => new Tier(decimal.Parse(p.Key, Invariant), p.Value)).ToList();
        var kind = Str(row, "Loại điểm");
        var code = Str(row, "Mã") ?? "";
        if (problems.Count > 0) errors[string.IsNullOrEmpty(code) ? where : code] = [.. problems];
        return new CriteriaNode(
            code, Str(row, "Tên") ?? "", Dec(Get(row, "Điểm tối đa")), Dec(Get(row, "Điểm tối thiểu")) ?? 0,
            method, Str(row, "Tài liệu kiểm chứng") is "Có" or "x" or "X", Str(row, "Hướng dẫn chấm"),
            options is null && tiers is null ? null : new ScoringRule(options, tiers), kind == Bonus, kind == Penalty);
    }

    private static List<CriteriaNode>? Children(List<CriteriaNode> nodes, string? parent)
    {
        var children = nodes.Where(node => Tree.ParentCode(node.Code) == parent)
            .Select(node => node with { Children = Children(nodes, node.Code) }).ToList();
        return children.Count > 0 ? children : null;
    }

    /// <summary>"Đạt=1; Một phần=0.5" into label/points pairs.</summary>
    private static List<KeyValuePair<string, decimal>>? Pairs(string? text, List<string> problems)
    {
        if (text is null) return null;
        var pairs = new List<KeyValuePair<string, decimal>>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.LastIndexOf('=');
            if (equals <= 0 || !decimal.TryParse(part[(equals + 1)..].Trim(), NumberStyles.Number, Invariant, out var points))
                problems.Add($"'{part}' is not of the form label=points.");
            else
                pairs.Add(new(part[..equals].Trim(), points));
        }
        return pairs;
    }

    private static IEnumerable<IDictionary<string, object?>> Rows(Stream workbook, string sheet)
    {
        workbook.Position = 0;
        return workbook.Query(useHeaderRow: true, sheetName: sheet, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .Where(row => row.Values.Any(value => value is not null && value.ToString() != ""))
            .ToList();
    }

    private static string? Str(IDictionary<string, object?> row, string column) =>
        Get(row, column) switch
        {
            null => null,
            double number => ((decimal)number).ToString(Invariant),
            var value => value.ToString() is { Length: > 0 } text ? text.Trim() : null,
        };

    // Cells hold numbers as doubles; decimal's conversion keeps 15 significant digits, beyond any score's precision.
    private static decimal? Dec(object? value) => value switch
    {
        null => null,
        double number => Tree.Canonical((decimal)number),
        string text when text.Trim().Length == 0 => null,
        string text => Tree.Canonical(decimal.Parse(text.Trim(), NumberStyles.Number, Invariant)),
        var other => Tree.Canonical(Convert.ToDecimal(other, Invariant)),
    };

    private static object? Get(IDictionary<string, object?> row, string column) => row.TryGetValue(column, out var value) ? value : null;

    private static string Text(decimal value) => value.ToString(Invariant);

    private static T Fail<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }
}
