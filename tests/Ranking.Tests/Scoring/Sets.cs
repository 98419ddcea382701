using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Tests.Scoring;

/// <summary>Small criteria sets and units for the computation tests.</summary>
internal static class Sets
{
    public static readonly Band[] DistrictBands = [new("Tốt", 80), new("Khá", 65), new("Trung bình", 50), new("Yếu", 35), new("Kém", 0)];

    /// <summary>field -> one criterion -> the given sub-criteria.</summary>
    public static ScoringNode Field(string code, string name, params ScoringNode[] subCriteria) =>
        ScoringNode.Group(code, name, ScoringNode.Group($"{code}.1", $"{name} (tiêu chí)", subCriteria));

    public static ScoringSet Set(IReadOnlyList<Band>? bands, params ScoringNode[] fields) =>
        new(Guid.NewGuid(), fields.Sum(field => field.MaxPoints), null, null, bands ?? DistrictBands, fields);

    public static UnitInputs Unit(
        string name, IReadOnlyDictionary<string, decimal> appraised, IReadOnlyDictionary<string, SurveyPoints>? survey = null,
        params string[] notApplicable) =>
        new(Guid.NewGuid(), name, appraised, survey ?? new Dictionary<string, SurveyPoints>(), notApplicable.ToHashSet());

    /// <summary>A one-item set (max 100) where a unit's index equals its score: for ranking tests.</summary>
    public static readonly ScoringSet Simple = Set(null, Field("1", "Tổng hợp", ScoringNode.Leaf("1.1.1", "Điểm", 100)));

    public static UnitResult Scored(string name, decimal percent) =>
        UnitScorer.Score(Simple, Unit(name, new Dictionary<string, decimal> { ["1.1.1"] = percent }));
}
