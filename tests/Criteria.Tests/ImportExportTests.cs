using System.Globalization;
using MiniExcelLibs;
using ParPlatform.Criteria.ImportExport;
using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;

namespace ParPlatform.Criteria.Tests;

public class ImportExportTests
{
    public static TheoryData<string> Sets => ["departments-2025", "districts-2024", "skeleton", "awkward"];

    [Theory]
    [MemberData(nameof(Sets))]
    public void Json_round_trip_is_lossless(string name)
    {
        var set = Tree.Normalize(Load(name));

        var json = SetJson.Write(set);
        var back = SetJson.Read(json);

        Assert.Equal(json, SetJson.Write(back));
        Assert.Equal(Tree.Flatten(set.Fields), Tree.Flatten(back.Fields), new NodeComparer());
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Excel_round_trip_is_lossless(string name)
    {
        var set = Tree.Normalize(Load(name));

        var (back, errors) = SetExcel.Read(new MemoryStream(SetExcel.Write(set)));

        Assert.Empty(errors);
        Assert.Equal(SetJson.Write(set), SetJson.Write(back!));
    }

    [Fact]
    public void Excel_problems_name_the_row_or_code()
    {
        var set = Tree.Normalize(DemoSets.Departments(2024));
        var broken = set with { Fields = [set.Fields[0] with { Children = [set.Fields[0].Items[0] with { Code = "4.4" }] }] };
        var workbook = SetExcel.Write(broken);

        var (back, errors) = SetExcel.Read(new MemoryStream(workbook));

        Assert.Null(back);
        // Row "4.4" has no field 4 above it, and the rows of 1.1.x lost their criterion.
        Assert.Equal(["1.1.1", "1.1.2", "4.4"], errors.Keys.Order());
    }

    /// <summary>
    /// A workbook as a Vietnamese official fills it in: points typed as text with a decimal comma ("1,5", "0,25",
    /// "1,0"), some with a point ("0.5"), rules with commas ("Một phần=0,5"), next to numeric cells. Every number
    /// means what it says (not "1,0" -> 10, which made the parent's sum look wrong).
    /// </summary>
    [Fact]
    public void Excel_reads_numbers_as_a_Vietnamese_official_types_them()
    {
        var set = Tree.Normalize(DemoSets.Departments(2025));
        var sheets = Sheets(SetExcel.Write(set));
        var typed = 0;
        foreach (var row in sheets[SetExcel.NodesSheet])
        {
            // Every other row as vi-VN text, the rest as it came (numeric cells): both must read the same.
            if (row["Điểm tối đa"] is double max && typed++ % 2 == 0)
                row["Điểm tối đa"] = typed % 4 == 1 ? ((decimal)max).ToString("0.0#", Vi) : ((decimal)max).ToString("0.0#", CultureInfo.InvariantCulture);
            if (row["Phương án chấm"] is string options) row["Phương án chấm"] = options.Replace("0.5", "0,5").Replace("0.25", "0,25");
            if (row["Thang ngưỡng"] is string tiers) row["Thang ngưỡng"] = tiers.Replace(".", ",");
        }
        foreach (var row in sheets[SetExcel.InfoSheet].Where(row => row["Thuộc tính"] is "scoreStep" or "maxPoints"))
            row["Giá trị"] = ((decimal)(double)row["Giá trị"]!).ToString("0.00", Vi);
        Assert.Contains(sheets[SetExcel.NodesSheet], row => row["Điểm tối đa"] is "1,0" or "0,5" or "1,5" or "0,25");

        var (back, errors) = SetExcel.Read(new MemoryStream(Workbook(sheets)));

        Assert.Empty(errors);
        Assert.Equal(SetJson.Write(set), SetJson.Write(back!));
        Assert.Equal([1.5m, 0.5m, 1m, 0.25m, -2m], new[] { "1,5", "0.5", "1,0", "0,25", "-2" }.Select(text => VietnameseNumber.Parse(text)!.Value));
        Assert.All(["1,000.5", "1.000,5", "1.000.000", "1,5,0", "abc", "1,5đ", "--1", ","], text => Assert.Null(VietnameseNumber.Parse(text)));
    }

    [Fact]
    public void Excel_number_problems_name_the_sheet_row_column_and_value()
    {
        var sheets = Sheets(SetExcel.Write(Tree.Normalize(DemoSets.Departments(2025))));
        var nodes = sheets[SetExcel.NodesSheet];
        var index = nodes.FindIndex(row => row["Mã"] is "1.1.1");
        nodes[index]["Điểm tối đa"] = "1,5,0";
        nodes[index]["Phương án chấm"] = "Đạt=1; Một phần=nửa";
        sheets[SetExcel.BandsSheet][1]["Từ (%)"] = "80%";

        var (back, errors) = SetExcel.Read(new MemoryStream(Workbook(sheets)));

        Assert.Null(back);
        var row = index + 2; // Excel's row number: the header is row 1
        var max = Assert.Single(errors[$"Tiêu chí!D{row}"]);
        Assert.Equal($"Sheet 'Tiêu chí', row {row}, column D 'Điểm tối đa': '1,5,0' is not a number (write 1,5 or 1.5; no thousands separators).", max);
        Assert.Contains("'Một phần=nửa'", Assert.Single(errors[$"Tiêu chí!I{row}"]));
        Assert.StartsWith("Sheet 'Xếp loại', row 3, column B 'Từ (%)': '80%'", Assert.Single(errors["Xếp loại!B3"]));
        // The problem is at its cell, not blamed on the parent's sum.
        Assert.False(errors.ContainsKey("1.1"));
    }

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    private static Dictionary<string, List<Dictionary<string, object?>>> Sheets(byte[] workbook) =>
        new[] { SetExcel.NodesSheet, SetExcel.InfoSheet, SetExcel.BandsSheet }.ToDictionary(
            sheet => sheet,
            sheet => new MemoryStream(workbook).Query(useHeaderRow: true, sheetName: sheet)
                .Cast<IDictionary<string, object?>>().Select(row => new Dictionary<string, object?>(row)).ToList());

    private static byte[] Workbook(Dictionary<string, List<Dictionary<string, object?>>> sheets)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(sheets.ToDictionary(pair => pair.Key, pair => (object)pair.Value), excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static CriteriaSetDefinition Load(string name) => name switch
    {
        "departments-2025" => DemoSets.Departments(2025),
        "districts-2024" => DemoSets.Districts(2024),
        "skeleton" => DemoSets.NationalProvincialSkeleton(),
        _ => Awkward(),
    };

    /// <summary>Values that trip naive spreadsheets: long decimals, trailing zeros, a long text, a leading zero-like code.</summary>
    private static CriteriaSetDefinition Awkward() => new(
        "AWK-1", "Bộ \"khó\"; có dấu = và ; trong tên", 2026, EvaluatedLevel.Commune, 100.000m, 64.125m, 35.875m,
        [new("Đạt", 50.5m), new("Không đạt", 0)],
        [
            new("1", "Lĩnh vực 1", 64.125m, Children:
            [
                new("1.1", "Tiêu chí với hướng dẫn dài", 64.125m, Method: ScoringMethod.Appraised, EvidenceRequired: true,
                    Guidance: "Dòng 1\nDòng 2: 100% -> 1 điểm; 80–<100% -> 0,5", Rule: new(Tiers: [new(99.99m, 64.125m), new(0.01m, 0.125m)])),
            ]),
            new("2", "Lĩnh vực 2", 35.875m, Children:
            [
                new("2.1", "Khảo sát", 35.875m, Method: ScoringMethod.Survey, Rule: new([new("Rất hài lòng", 35.875m), new("Không hài lòng", 0)])),
            ]),
            new("3", "Điểm trừ", 0, -1.75m, IsPenalty: true, Children: [new("3.1", "Vi phạm", 0, -1.75m, ScoringMethod.Appraised, IsPenalty: true)]),
        ], ScoreStep: null, PenaltyCap: 1.75m, Notes: "Ghi chú\ttab");

    private sealed class NodeComparer : IEqualityComparer<CriteriaNode>
    {
        public bool Equals(CriteriaNode? x, CriteriaNode? y) =>
            x!.Code == y!.Code && x.Name == y.Name && x.MaxPoints == y.MaxPoints && x.MinPoints == y.MinPoints && x.Method == y.Method
            && x.EvidenceRequired == y.EvidenceRequired && x.Guidance == y.Guidance && x.IsBonus == y.IsBonus && x.IsPenalty == y.IsPenalty
            && SetJson.Write(Wrap(x)) == SetJson.Write(Wrap(y));

        public int GetHashCode(CriteriaNode node) => node.Code.GetHashCode();

        private static CriteriaSetDefinition Wrap(CriteriaNode node) =>
            new("X", "X", 1, EvaluatedLevel.Commune, 1, 1, 0, [], [node with { Children = null }]);
    }
}
