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
