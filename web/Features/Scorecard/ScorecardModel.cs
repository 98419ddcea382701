using System.Globalization;
using System.Text.Json;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Features.Scorecard;

// What the scorecard reads of the criteria, submission and evidence-storage answers (their JSON, camelCase).

/// <summary>A published set (GET /api/criteria/sets/{id}): its tree is what the page lays out.</summary>
public sealed record CriteriaSetView(Guid Id, string Status, SetDefinitionView Definition);

public sealed record SetDefinitionView(string Code, string Name, decimal MaxPoints, decimal? ScoreStep, decimal? BonusCap, decimal? PenaltyCap,
    IReadOnlyList<CriteriaNodeView> Fields);

/// <param name="Method">"Appraised" (self-assessed, then appraised) or "Survey" (scored by the sociological survey).</param>
public sealed record CriteriaNodeView(string Code, string Name, decimal? MaxPoints, decimal MinPoints, string? Method, bool EvidenceRequired,
    string? Guidance, ScoringRuleView? Rule, bool IsBonus, bool IsPenalty, IReadOnlyList<CriteriaNodeView>? Children)
{
    public IReadOnlyList<CriteriaNodeView> Items => Children ?? [];
    public bool IsSurvey => Method == "Survey";
}

public sealed record ScoringRuleView(IReadOnlyList<GradedOptionView>? Options);

public sealed record GradedOptionView(string Label, decimal Points);

/// <summary>An assessment item as the submission service answers it (the scorable leaves).</summary>
public sealed record ItemView(string Code, string FieldCode, string Name, string Kind, decimal MaxPoints, decimal MinPoints, bool EvidenceRequired,
    decimal? SelfScore, string? Explanation, Guid[] EvidenceIds, string? UpdatedBy, DateTimeOffset? UpdatedAt, int Version)
{
    /// <summary>The service's rule (AssessmentItem.LacksEvidence): a bonus or penalty scored 0 claims nothing to prove.</summary>
    public bool LacksEvidence => EvidenceRequired && !(Kind != "regular" && SelfScore == 0)
        && EvidenceIds.Length == 0 && string.IsNullOrWhiteSpace(Explanation);
}

public sealed record AssessmentView(Guid Id, Guid RoundId, Guid UnitId, string Status, IReadOnlyList<ItemView> Items);


/// <summary>A bad row of an imported sheet (the <c>items</c> of <c>sheet-invalid</c>).</summary>
public sealed record SheetRowError(int Row, string? Code, string Type, string Detail);

/// <summary>What the page reads for the user; the set's tree is the same for every unit and kept in <see cref="PublishedSets"/>.</summary>
public sealed record ScorecardData(RoundView Round, Guid UnitId, string UnitName, IReadOnlyList<string> NotApplicableCodes,
    AssessmentView? Assessment, IReadOnlyList<EvidenceView> Evidence);

/// <summary>
/// Published sets by id: a published set never changes (a change is a new set), and fifty officials opening their
/// scorecards at once read the same tree. Only a set id taken from a round the user could read is ever looked up,
/// so the cache shows no one a set they could not fetch themselves.
/// </summary>
public static class PublishedSets
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SetDefinitionView> Sets = new();

    public static async Task<SetDefinitionView> GetAsync(PlatformApi api, Guid id)
    {
        if (Sets.TryGetValue(id, out var cached))
        {
            return cached;
        }
        var set = await api.GetAsync<CriteriaSetView>($"api/criteria/sets/{id}");
        if (set.Status == "Published")
        {
            Sets[id] = set.Definition;
        }
        return set.Definition;
    }
}

public static class Scores
{
    /// <summary>
    /// A score as officials type it: "2,25" (vi-VN) or "2.25"; a group separator is not accepted because "1.000" would
    /// be ambiguous. Null when the text is not a number.
    /// </summary>
    public static bool TryParse(string? text, out decimal? value)
    {
        value = null;
        var trimmed = text?.Trim().Replace(" ", "") ?? "";
        if (trimmed.Length == 0)
        {
            return true; // cleared
        }
        if (decimal.TryParse(trimmed.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }
        return false;
    }

    /// <summary>The client-side check of the service's rules, so a typo is said at once; the service checks again.</summary>
    public static string? Check(decimal value, decimal min, decimal max, decimal? step)
    {
        if (value < min || value > max)
        {
            return Ui.T($"Điểm phải từ {Ui.Points(min)} đến {Ui.Points(max)}.", $"The score must be between {Ui.Points(min)} and {Ui.Points(max)}.");
        }
        if (step is > 0 and var s && value % s != 0)
        {
            return Ui.T($"Điểm phải là bội số của {Ui.Points(s)}.", $"The score must be a multiple of {Ui.Points(s)}.");
        }
        return null;
    }

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024m / 1024m).ToString("N1", CultureInfo.CurrentCulture) + " MB"
        : Math.Max(1, bytes / 1024).ToString("N0", CultureInfo.CurrentCulture) + " KB";

    /// <summary>The codes a refusal names (<c>items</c> of items-not-scored / evidence-missing).</summary>
    public static IReadOnlyList<string> ItemCodes(ApiProblem problem) =>
        problem.Body.ValueKind == JsonValueKind.Object && problem.Body.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToList()
            : [];

    public static IReadOnlyList<SheetRowError> SheetErrors(ApiProblem problem) =>
        problem.Body.ValueKind == JsonValueKind.Object && problem.Body.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.Deserialize<List<SheetRowError>>(PlatformApi.Json) ?? []
            : [];

    public static ItemView? Current(ApiProblem problem) =>
        problem.Body.ValueKind == JsonValueKind.Object && problem.Body.TryGetProperty("current", out var current) && current.ValueKind == JsonValueKind.Object
            ? current.Deserialize<ItemView>(PlatformApi.Json) : null;
}
