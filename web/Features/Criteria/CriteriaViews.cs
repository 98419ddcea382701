using System.Globalization;
using System.Text.Json.Serialization;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Features.Criteria;

// What the criteria-set pages read of the criteria service's answers (services/Criteria/README.md) and send back.
// The definition is mutable: the editor changes it in place and sends it whole (PUT /sets/{id}, POST /sets/validate).

/// <summary>A row of GET /api/criteria/sets.</summary>
public sealed record SetSummaryView(Guid Id, string TenantId, string Code, string Name, int Year, string Level, string Status, int Version,
    bool ReferenceSkeleton, DateTimeOffset? PublishedAt);

/// <summary>A stored set (GET /api/criteria/sets/{id}): the platform's data about it and its definition.</summary>
public sealed record StoredSet(Guid Id, string TenantId, string Status, int Version, Guid? ClonedFrom, DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt, EditableSet Definition);

/// <summary>The JSON document of a set, as the service reads it (camelCase, enums as strings).</summary>
public sealed class EditableSet
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int Year { get; set; }
    public string Level { get; set; } = "Department";
    public decimal MaxPoints { get; set; }
    public decimal AppraisalPoints { get; set; }
    public decimal SurveyPoints { get; set; }
    public List<BandEdit> Bands { get; set; } = [];
    public List<EditableNode> Fields { get; set; } = [];
    public decimal? ScoreStep { get; set; }
    public decimal? BonusCap { get; set; }
    public decimal? PenaltyCap { get; set; }
    public bool ReferenceSkeleton { get; set; }
    public string? Notes { get; set; }
}

public sealed class BandEdit
{
    public string Label { get; set; } = "";
    public decimal MinPercent { get; set; }
}

public sealed class EditableNode
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal? MaxPoints { get; set; }
    public decimal MinPoints { get; set; }
    /// <summary>"Appraised" or "Survey" on scored items; null on parents.</summary>
    public string? Method { get; set; }
    public bool EvidenceRequired { get; set; }
    public string? Guidance { get; set; }
    public RuleEdit? Rule { get; set; }
    public bool IsBonus { get; set; }
    public bool IsPenalty { get; set; }
    public List<EditableNode>? Children { get; set; }

    /// <summary>The page's own name for the node (its code changes when it moves): element ids and Blazor's @key.</summary>
    [JsonIgnore] public string Key { get; } = Guid.NewGuid().ToString("N")[..12];
    [JsonIgnore] public List<EditableNode> Items => Children ??= [];
    [JsonIgnore] public int Depth => Code.Count(c => c == '.') + 1;
    [JsonIgnore] public bool IsLeaf => Children is not { Count: > 0 };
}

public sealed class RuleEdit
{
    public List<OptionEdit>? Options { get; set; }
    public List<TierEdit>? Tiers { get; set; }
}

public sealed class OptionEdit
{
    public string Label { get; set; } = "";
    public decimal Points { get; set; }
}

public sealed class TierEdit
{
    public decimal MinPercent { get; set; }
    public decimal Points { get; set; }
}

/// <summary>GET /sets/{id}/diff?from=: what changed from the other set to this one, matched by code.</summary>
public sealed record SetDiffView(Guid FromSetId, Guid ToSetId, IReadOnlyList<DiffItemView> Added, IReadOnlyList<DiffItemView> Removed,
    IReadOnlyList<ReweightedView> Reweighted, IReadOnlyList<ChangedView> Renamed, IReadOnlyList<ChangedView> MethodChanged);

public sealed record DiffItemView(string Code, string Name, decimal? MaxPoints);

public sealed record ReweightedView(string Code, string Name, decimal? FromMaxPoints, decimal? ToMaxPoints, decimal FromMinPoints, decimal ToMinPoints);

public sealed record ChangedView(string Code, string? From, string? To);

/// <summary>Words, parsing and tree operations shared by the criteria-set pages.</summary>
public static class CriteriaSets
{
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string Status(string status) => status switch
    {
        "Draft" => Ui.T("Dự thảo", "Draft"),
        "Published" => Ui.T("Đã ban hành", "Published"),
        "Retired" => Ui.T("Ngừng áp dụng", "Retired"),
        _ => status,
    };

    public static string Method(string? method) => method switch
    {
        "Appraised" => Ui.T("Thẩm định", "Appraised"),
        "Survey" => Ui.T("Điều tra XHH", "Survey"),
        null => "–",
        _ => method,
    };

    public static string LevelName(int depth) => depth switch
    {
        1 => Ui.T("Lĩnh vực", "Field"),
        2 => Ui.T("Tiêu chí", "Criterion"),
        _ => Ui.T("Tiêu chí thành phần", "Sub-criterion"),
    };

    /// <summary>The ETag the service gives a set (<c>"{id:N}-{version}-{D|P|R}"</c>), sent back as If-Match on save.</summary>
    public static string ETag(StoredSet set) => $"\"{set.Id:N}-{set.Version}-{set.Status[0]}\"";

    /// <summary>A number as officials type it ("1,5" or "1.5"); null when empty; false when it is not a number.</summary>
    public static bool TryNumber(string? text, out decimal? value) => Scorecard.Scores.TryParse(text, out value);

    /// <summary>Graded options as the Excel sheet writes them: "Đạt=1; Một phần=0,5; Không đạt=0".</summary>
    public static string Options(RuleEdit? rule) =>
        string.Join("; ", (rule?.Options ?? []).Select(option => $"{option.Label}={Ui.Points(option.Points)}"));

    /// <summary>Tiers as the Excel sheet writes them: "100%=2; 80%=1; 0%=0".</summary>
    public static string Tiers(RuleEdit? rule) =>
        string.Join("; ", (rule?.Tiers ?? []).Select(tier => $"{Ui.Points(tier.MinPercent)}%={Ui.Points(tier.Points)}"));

    public static string Bands(IEnumerable<BandEdit> bands) =>
        string.Join("; ", bands.Select(band => $"{band.Label}={Ui.Points(band.MinPercent)}"));

    /// <summary>"label=points" pairs split on ';' (the label is what stands before the last '='); null when a pair is unreadable.</summary>
    public static List<(string Label, decimal Value)>? Pairs(string? text, bool percent = false)
    {
        var pairs = new List<(string, decimal)>();
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.LastIndexOf('=');
            if (equals <= 0 || !TryNumber(part[(equals + 1)..], out var value) || value is null) return null;
            var label = part[..equals].Trim();
            if (percent)
            {
                label = label.TrimEnd('%').Trim();
                if (!TryNumber(label, out var bound) || bound is null) return null;
                label = bound.Value.ToString(CultureInfo.InvariantCulture);
            }
            pairs.Add((label, value.Value));
        }
        return pairs;
    }

    public static IEnumerable<EditableNode> Flatten(IEnumerable<EditableNode> nodes) => nodes.SelectMany(node => Flatten(node.Items).Prepend(node));

    /// <summary>Gives a node a new code, and its descendants the codes under it ("2.1.3" under "2.2" becomes "2.2.3").</summary>
    public static void Recode(EditableNode node, string code)
    {
        var old = node.Code;
        foreach (var descendant in Flatten(node.Items))
        {
            descendant.Code = code + descendant.Code[old.Length..];
        }
        node.Code = code;
    }

    /// <summary>Moves a node one place up or down among its siblings; the two swap codes, so codes stay in order.</summary>
    public static bool Move(List<EditableNode> siblings, EditableNode node, int by)
    {
        var at = siblings.IndexOf(node);
        var to = at + by;
        if (at < 0 || to < 0 || to >= siblings.Count) return false;
        var other = siblings[to];
        var (mine, theirs) = (node.Code, other.Code);
        Recode(node, "\u0001"); // out of the way while the other takes this code
        Recode(other, mine);
        Recode(node, theirs);
        (siblings[at], siblings[to]) = (siblings[to], siblings[at]);
        return true;
    }

    /// <summary>The code for a new child (or a new field when <paramref name="parent"/> is null): one past the highest used.</summary>
    public static string NextCode(EditableNode? parent, List<EditableNode> siblings)
    {
        var last = siblings.Select(s => int.TryParse(s.Code[(s.Code.LastIndexOf('.') + 1)..], out var n) ? n : 0).DefaultIfEmpty(0).Max();
        return parent is null ? $"{last + 1}" : $"{parent.Code}.{last + 1}";
    }
}
