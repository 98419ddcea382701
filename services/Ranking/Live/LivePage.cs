using System.Globalization;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;

namespace ParPlatform.Ranking.Live;

/// <summary>
/// One page of a live table, filtered and sorted, with the whole group's statistics: what a screen of a 3,321-unit
/// round shows, without sending the other 3,271 rows.
/// </summary>
/// <param name="TotalRows">Rows that pass the filter (all pages).</param>
public sealed record LivePage(
    Guid RoundId, string TenantId, string RankingGroup, int Year, string RoundName, DateTimeOffset ComputedAt,
    GroupStatistics Statistics, int PointDecimals, string Sort, int Page, int PageSize, int TotalRows, IReadOnlyList<GroupRow> Rows);

/// <summary>A page request: <c>?page=1&amp;pageSize=50&amp;sort=points-desc&amp;q=xã&amp;band=Tốt</c>.</summary>
public sealed record LivePageQuery(int Page, int PageSize, string? Sort, string? Search, string? Band)
{
    public const int MaxPageSize = 500;

    /// <summary>The columns a live table sorts by; "-desc" after one sorts it descending. Rank ascending by default.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["rank", "unit", "code", "points", "percent", "band", "change"];

    private static readonly StringComparer VietnameseNames = StringComparer.Create(Figures.Vietnamese, ignoreCase: true);
    private static readonly CompareInfo VietnameseText = Figures.Vietnamese.CompareInfo;

    /// <returns>The problems by query parameter; empty when the request can be answered.</returns>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Page < 1)
        {
            errors["page"] = ["The page number starts at 1."];
        }
        if (PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"A page holds 1 to {MaxPageSize} rows."];
        }
        if (Sort is not null && !SortKeys.Contains(Sort.EndsWith("-desc", StringComparison.Ordinal) ? Sort[..^5] : Sort))
        {
            errors["sort"] = [$"Sort by one of: {string.Join(", ", SortKeys)} (add -desc to reverse)."];
        }
        return errors;
    }

    public LivePage Apply(GroupTable table)
    {
        IEnumerable<GroupRow> rows = table.Rows;
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var text = Search.Trim();
            rows = rows.Where(row =>
                VietnameseText.IndexOf(row.Result.UnitName, text, CompareOptions.IgnoreCase) >= 0
                || (row.UnitCode ?? "").Contains(text, StringComparison.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrEmpty(Band))
        {
            rows = rows.Where(row => row.Result.Band == Band);
        }
        var sort = Sort ?? "rank";
        var descending = sort.EndsWith("-desc", StringComparison.Ordinal);
        var ordered = (descending ? sort[..^5] : sort) switch
        {
            "unit" => Order(rows, row => row.Result.UnitName, VietnameseNames, descending),
            "code" => Order(rows, row => row.UnitCode ?? "", StringComparer.Ordinal, descending),
            "points" => Order(rows, row => row.Result.TotalPoints, Comparer<decimal>.Default, descending),
            "percent" => Order(rows, row => row.Result.IndexPercent, Comparer<decimal>.Default, descending),
            "band" => Order(rows, row => row.Result.Band ?? "", VietnameseNames, descending),
            // Rows without a comparison (no previous year) go last either way round.
            "change" => Order(rows.Where(row => row.Change is not null), row => row.Change!.PercentChange, Comparer<decimal>.Default, descending)
                .Concat(rows.Where(row => row.Change is null).OrderBy(row => row.Rank)),
            _ => Order(rows, row => row.Rank, Comparer<int>.Default, descending),
        };
        var filtered = ordered.ToList();
        return new LivePage(table.RoundId, table.TenantId, table.RankingGroup, table.Year, table.RoundName, table.ComputedAt,
            table.Statistics, table.PointDecimals, sort, Page, PageSize, filtered.Count,
            filtered.Skip((Page - 1) * PageSize).Take(PageSize).ToList());
    }

    // Equal keys keep the table's order (rank, then name), so every page boundary is stable.
    private static IEnumerable<GroupRow> Order<TKey>(IEnumerable<GroupRow> rows, Func<GroupRow, TKey> key, IComparer<TKey> comparer, bool descending) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);
}
