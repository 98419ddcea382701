using System.Text.Json.Serialization;

namespace ParPlatform.Criteria.Model;

[JsonConverter(typeof(JsonStringEnumConverter<EvaluatedLevel>))]
public enum EvaluatedLevel { Ministry, Province, Department, District, Commune }

[JsonConverter(typeof(JsonStringEnumConverter<ScoringMethod>))]
public enum ScoringMethod { Appraised, Survey }

[JsonConverter(typeof(JsonStringEnumConverter<SetStatus>))]
public enum SetStatus { Draft, Published, Retired }

/// <summary>
/// The content of a criteria set, exactly what JSON import/export carries. Everything else about a set (id, tenant,
/// status, version) belongs to the platform, not to the document.
/// </summary>
public sealed record CriteriaSetDefinition(
    string Code,
    string Name,
    int Year,
    EvaluatedLevel Level,
    decimal MaxPoints,
    decimal AppraisalPoints,
    decimal SurveyPoints,
    IReadOnlyList<ClassificationBand> Bands,
    IReadOnlyList<CriteriaNode> Fields,
    decimal? ScoreStep = null,
    decimal? BonusCap = null,
    decimal? PenaltyCap = null,
    bool ReferenceSkeleton = false,
    string? Notes = null);

/// <summary>A band with its inclusive lower bound in percent ("Tốt" from 90).</summary>
public sealed record ClassificationBand(string Label, decimal MinPercent);

/// <param name="MaxPoints">Null only in a reference skeleton, where the maximum is unknown.</param>
/// <param name="MinPoints">0, or the deduction limit (negative) of a penalty item.</param>
/// <param name="Method">Required on scored leaves; null on fields and criteria that have children.</param>
public sealed record CriteriaNode(
    string Code,
    string Name,
    decimal? MaxPoints,
    decimal MinPoints = 0,
    ScoringMethod? Method = null,
    bool EvidenceRequired = false,
    string? Guidance = null,
    ScoringRule? Rule = null,
    bool IsBonus = false,
    bool IsPenalty = false,
    IReadOnlyList<CriteriaNode>? Children = null)
{
    [JsonIgnore]
    public IReadOnlyList<CriteriaNode> Items => Children ?? [];

    [JsonIgnore]
    public int Depth => Code.Count(c => c == '.') + 1;
}

/// <summary>How a leaf is scored: pick one graded option, or apply tiers to a measured percentage.</summary>
public sealed record ScoringRule(IReadOnlyList<GradedOption>? Options = null, IReadOnlyList<Tier>? Tiers = null);

public sealed record GradedOption(string Label, decimal Points);

public sealed record Tier(decimal MinPercent, decimal Points);

/// <summary>A stored set: the platform's data about it plus its definition.</summary>
public sealed record CriteriaSet(
    Guid Id,
    string TenantId,
    SetStatus Status,
    int Version,
    Guid? ClonedFrom,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? RetiredAt,
    CriteriaSetDefinition Definition)
{
    /// <summary>Strong validator for HTTP caching: content changes only with the version, the status only by publishing or retiring.</summary>
    public string ETag => $"\"{Id:N}-{Version}-{Status.ToString()[0]}\"";
}

public static class Tree
{
    public static IEnumerable<CriteriaNode> Flatten(IEnumerable<CriteriaNode> nodes) =>
        nodes.SelectMany(node => Flatten(node.Items).Prepend(node));

    public static string? ParentCode(string code) =>
        code.LastIndexOf('.') is var dot and > 0 ? code[..dot] : null;

    /// <summary>2.50 and 2.5 are the same score; one spelling makes round-trips comparable.</summary>
    public static decimal Canonical(decimal value) => value / 1.000000000000000000000000000000000m;

    public static decimal? Canonical(decimal? value) => value is { } v ? Canonical(v) : null;

    /// <summary>Canonical decimals, empty children as null, blank text as null.</summary>
    public static CriteriaSetDefinition Normalize(CriteriaSetDefinition set) => set with
    {
        Code = set.Code?.Trim() ?? "",
        Name = set.Name?.Trim() ?? "",
        MaxPoints = Canonical(set.MaxPoints),
        AppraisalPoints = Canonical(set.AppraisalPoints),
        SurveyPoints = Canonical(set.SurveyPoints),
        ScoreStep = Canonical(set.ScoreStep),
        BonusCap = Canonical(set.BonusCap),
        PenaltyCap = Canonical(set.PenaltyCap),
        Notes = Blank(set.Notes),
        Bands = (set.Bands ?? []).Select(band => band with { Label = band.Label?.Trim() ?? "", MinPercent = Canonical(band.MinPercent) }).ToList(),
        Fields = (set.Fields ?? []).Select(Normalize).ToList(),
    };

    private static CriteriaNode Normalize(CriteriaNode node) => node with
    {
        Code = node.Code?.Trim() ?? "",
        Name = node.Name?.Trim() ?? "",
        MaxPoints = Canonical(node.MaxPoints),
        MinPoints = Canonical(node.MinPoints),
        Guidance = Blank(node.Guidance),
        Rule = node.Rule is { } rule && (rule.Options is { Count: > 0 } || rule.Tiers is { Count: > 0 })
            ? new ScoringRule(
                rule.Options is { Count: > 0 } options ? options.Select(o => o with { Label = o.Label?.Trim() ?? "", Points = Canonical(o.Points) }).ToList() : null,
                rule.Tiers is { Count: > 0 } tiers ? tiers.Select(t => new Tier(Canonical(t.MinPercent), Canonical(t.Points))).ToList() : null)
            : null,
        Children = node.Children is { Count: > 0 } children ? children.Select(Normalize).ToList() : null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
