using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;

namespace ParPlatform.Ranking.Exports;

/// <summary>
/// The group table and the unit scorecard as provincial reports print them: Vietnamese headers, every figure a number
/// (see <see cref="Workbook"/>), each row naming its unit by code and name; the table's workbook also holds the round's
/// statistics, the scorecard's the unit it is about.
/// </summary>
public static class RankingSheets
{
    public static Workbook GroupTable(PublishedSnapshot published)
    {
        var table = published.Table;
        var fields = table.Rows.SelectMany(row => row.Result.Fields).DistinctBy(field => field.Code).ToList();
        List<string> headers =
        [
            "Xếp hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC", "Điểm thẩm định", "Tỷ lệ thẩm định",
            "Điểm điều tra XHH", "Tỷ lệ điều tra XHH", "Điểm thưởng", "Điểm trừ", "Xếp loại",
            .. fields.Select(field => $"{field.Code}. {field.Name}"),
            "Tăng/giảm điểm so với năm trước", "Tăng/giảm bậc", "Ghi chú",
        ];
        var rows = table.Rows.Select(row =>
        {
            var result = row.Result;
            var byCode = result.Fields.ToDictionary(field => field.Code);
            return (IReadOnlyList<Cell>)
            [
                Cell.Integer(row.Rank), Cell.Of(row.UnitCode), Cell.Of(result.UnitName), Cell.Points(result.TotalPoints),
                Cell.Points(result.ApplicableMaxPoints), Cell.Percent(result.IndexPercent),
                Cell.Points(result.Appraisal.Points), Cell.Percent(result.Appraisal.Percent),
                Cell.Points(result.Survey.Points), Cell.Percent(result.Survey.Percent),
                Cell.Points(result.BonusPoints), Cell.Points(result.PenaltyPoints), Cell.Of(result.Band),
                .. fields.Select(field => byCode.TryGetValue(field.Code, out var own) && own.Applicable
                    ? Cell.Percent(own.Percent) : Cell.Of("Không áp dụng")),
                row.Change is { } change ? Cell.SignedPoints(change.PointsChange) : Cell.Empty,
                row.Change?.RankChange is { } places ? Cell.SignedInteger(places) : Cell.Empty,
                Cell.Of(Incomplete(row)),
            ];
        }).ToList();
        // Excluded units close the table, unranked, with the reason they were left out.
        rows.AddRange((table.Excluded ?? []).Select(unit => (IReadOnlyList<Cell>)
        [
            Cell.Empty, Cell.Of(unit.UnitCode), Cell.Of(unit.UnitName),
            .. Enumerable.Repeat(Cell.Empty, headers.Count - 4), Cell.Of($"Không xếp hạng: {unit.Reason}"),
        ]));
        return new Workbook([new Sheet($"Xếp hạng {table.Year}", headers, rows), Statistics(published)], table.PointDecimals);
    }

    public static Workbook Scorecard(PublishedSnapshot published, GroupRow row)
    {
        var result = row.Result;
        string[] headers = ["Mã", "Nội dung", "Điểm tối đa", "Điểm đạt", "Tỷ lệ", "Phương pháp", "Ghi chú"];
        var rows = result.Nodes.Select(node => (IReadOnlyList<Cell>)
        [
            Cell.Of(node.Code), Cell.Of(new string(' ', node.Level * 2) + node.Name),
            node.Kind == ItemKind.Regular ? Cell.Points(node.MaxPoints) : Cell.Empty,
            Cell.Points(node.Points),
            node.Kind == ItemKind.Regular && node.Applicable ? Cell.Percent(node.Percent) : Cell.Empty,
            Cell.Of(node.Source switch { ScoreSource.Survey => "Điều tra xã hội học", ScoreSource.Mixed => "Thẩm định và điều tra XHH", _ => "Thẩm định" }),
            Cell.Of(!node.Applicable ? "Không áp dụng" : node.Kind switch { ItemKind.Bonus => "Điểm thưởng", ItemKind.Penalty => "Điểm trừ", _ => "" }),
        ]).ToList();
        rows.Add([Cell.Empty, Cell.Of("Điểm thưởng"), Cell.Empty, Cell.Points(result.BonusPoints), Cell.Empty, Cell.Empty, Cell.Empty]);
        rows.Add([Cell.Empty, Cell.Of("Điểm trừ"), Cell.Empty, Cell.Points(result.PenaltyPoints), Cell.Empty, Cell.Empty, Cell.Empty]);
        rows.Add([Cell.Empty, Cell.Of("Tổng điểm"), Cell.Points(result.ApplicableMaxPoints), Cell.Points(result.TotalPoints),
            Cell.Percent(result.IndexPercent), Cell.Empty, Cell.Of($"{result.UnitName}. Xếp loại: {result.Band}; xếp hạng: {row.Rank}")]);
        var table = published.Table;
        List<IReadOnlyList<Cell>> unit =
        [
            [Cell.Of("Mã đơn vị"), Cell.Of(row.UnitCode)],
            [Cell.Of("Đơn vị"), Cell.Of(result.UnitName)],
            [Cell.Of("Kỳ đánh giá"), Cell.Of(table.RoundName)],
            [Cell.Of("Năm"), Cell.Integer(table.Year)],
            [Cell.Of("Phiên bản công bố"), Cell.Integer(published.Version)],
            [Cell.Of("Ngày công bố"), Cell.Of(PublishedOn(published))],
            [Cell.Of("Xếp hạng"), Cell.Integer(row.Rank)],
            [Cell.Of("Chỉ số CCHC"), Cell.Percent(result.IndexPercent)],
            [Cell.Of("Xếp loại"), Cell.Of(result.Band)],
            [Cell.Of("Ghi chú"), Cell.Of(Incomplete(row))],
        ];
        return new Workbook([new Sheet($"Điểm {table.Year}", headers, rows), new Sheet("Đơn vị", ["Thông tin", "Giá trị"], unit)],
            table.PointDecimals);
    }

    private static Sheet Statistics(PublishedSnapshot published)
    {
        var table = published.Table;
        var statistics = table.Statistics;
        List<IReadOnlyList<Cell>> rows =
        [
            [Cell.Of("Kỳ đánh giá"), Cell.Of(table.RoundName), Cell.Empty],
            [Cell.Of("Năm"), Cell.Empty, Cell.Integer(table.Year)],
            [Cell.Of("Nhóm xếp hạng"), Cell.Of(table.RankingGroup), Cell.Empty],
            [Cell.Of("Phiên bản công bố"), Cell.Of(PublishedOn(published)), Cell.Integer(published.Version)],
            [Cell.Of("Số đơn vị xếp hạng"), Cell.Empty, Cell.Integer(statistics.Count)],
            [Cell.Of("Chỉ số CCHC trung bình"), Cell.Empty, Cell.Percent(statistics.AveragePercent)],
            [Cell.Of("Chỉ số CCHC trung vị"), Cell.Empty, Cell.Percent(statistics.MedianPercent)],
            [Cell.Of("Tổng điểm trung bình"), Cell.Empty, Cell.Points(statistics.AveragePoints)],
        ];
        if (statistics.Highest is { } highest)
        {
            rows.Add([Cell.Of("Cao nhất"), Cell.Of(highest.UnitName), Cell.Percent(highest.Percent)]);
        }
        if (statistics.Lowest is { } lowest)
        {
            rows.Add([Cell.Of("Thấp nhất"), Cell.Of(lowest.UnitName), Cell.Percent(lowest.Percent)]);
        }
        rows.AddRange(statistics.Bands.Select(band => (IReadOnlyList<Cell>)[Cell.Of("Số đơn vị xếp loại"), Cell.Of(band.Label), Cell.Integer(band.Count)]));
        rows.AddRange(statistics.FieldAverages.Select(field => (IReadOnlyList<Cell>)
            [Cell.Of("Tỷ lệ trung bình lĩnh vực"), Cell.Of($"{field.Code}. {field.Name}"), Cell.Percent(field.AveragePercent)]));
        rows.AddRange((table.Excluded ?? []).Select(unit => (IReadOnlyList<Cell>)
            [Cell.Of("Không xếp hạng"), Cell.Of($"{unit.UnitCode} {unit.UnitName}".Trim()), Cell.Of(unit.Reason)]));
        return new Sheet("Thống kê", ["Chỉ tiêu", "Nội dung", "Giá trị"], rows);
    }

    private static string PublishedOn(PublishedSnapshot published) =>
        published.PublishedAt.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy", Figures.Vietnamese);

    /// <summary>"Chưa có điểm điều tra XHH" and the like for an incomplete row; "" when complete.</summary>
    private static string Incomplete(GroupRow row) => string.Join("; ", (row.Missing ?? []).Select(missing => missing switch
    {
        Scoring.GroupTable.MissingAppraisal => "Chưa có kết quả thẩm định",
        Scoring.GroupTable.MissingSurvey => "Chưa có điểm điều tra XHH",
        _ => missing,
    }));
}
