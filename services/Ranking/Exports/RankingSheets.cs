using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Exports;

/// <summary>The group table and the unit scorecard in the form provincial reports print them (vi-VN figures).</summary>
public static class RankingSheets
{
    public static Sheet GroupTable(PublishedSnapshot published)
    {
        var table = published.Table;
        var fields = table.Rows.SelectMany(row => row.Result.Fields).DistinctBy(field => field.Code).ToList();
        List<string> headers =
        [
            "Xếp hạng", "Đơn vị", "Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC", "Điểm thẩm định", "Tỷ lệ thẩm định",
            "Điểm điều tra XHH", "Tỷ lệ điều tra XHH", "Điểm thưởng", "Điểm trừ", "Xếp loại",
            .. fields.Select(field => $"{field.Code}. {field.Name}"),
            "Tăng/giảm điểm so với năm trước", "Tăng/giảm bậc",
        ];
        var rows = table.Rows.Select(row =>
        {
            var result = row.Result;
            var byCode = result.Fields.ToDictionary(field => field.Code);
            return (IReadOnlyList<string>)
            [
                row.Rank.ToString(Figures.Vietnamese), result.UnitName, Figures.Points(result.TotalPoints),
                Figures.Points(result.ApplicableMaxPoints), Figures.Percent(result.IndexPercent),
                Figures.Points(result.Appraisal.Points), Figures.Percent(result.Appraisal.Percent),
                Figures.Points(result.Survey.Points), Figures.Percent(result.Survey.Percent),
                Figures.Points(result.BonusPoints), Figures.Points(result.PenaltyPoints), result.Band ?? "",
                .. fields.Select(field => byCode.TryGetValue(field.Code, out var own) && own.Applicable
                    ? Figures.Percent(own.Percent) : "Không áp dụng"),
                row.Change is { } change ? Figures.Change(change.PointsChange) : "",
                row.Change?.RankChange is { } places ? (places > 0 ? "+" : "") + places.ToString(Figures.Vietnamese) : "",
            ];
        }).ToList();
        return new Sheet($"Xếp hạng {table.Year}", headers, rows);
    }

    public static Sheet Scorecard(GroupRow row, int year)
    {
        var result = row.Result;
        string[] headers = ["Mã", "Nội dung", "Điểm tối đa", "Điểm đạt", "Tỷ lệ", "Phương pháp", "Ghi chú"];
        var rows = result.Nodes.Select(node => (IReadOnlyList<string>)
        [
            node.Code, new string(' ', node.Level * 2) + node.Name,
            node.Kind == ItemKind.Regular ? Figures.Points(node.MaxPoints) : "",
            Figures.Points(node.Points),
            node.Kind == ItemKind.Regular && node.Applicable ? Figures.Percent(node.Percent) : "",
            node.IsLeaf ? node.Source == ScoreSource.Survey ? "Điều tra xã hội học" : "Thẩm định" : "",
            !node.Applicable ? "Không áp dụng" : node.Kind switch { ItemKind.Bonus => "Điểm thưởng", ItemKind.Penalty => "Điểm trừ", _ => "" },
        ]).ToList();
        rows.Add(["", "Điểm thưởng", "", Figures.Points(result.BonusPoints), "", "", ""]);
        rows.Add(["", "Điểm trừ", "", Figures.Points(result.PenaltyPoints), "", "", ""]);
        rows.Add(["", "Tổng điểm", Figures.Points(result.ApplicableMaxPoints), Figures.Points(result.TotalPoints),
            Figures.Percent(result.IndexPercent), "", $"Xếp loại: {result.Band}; xếp hạng: {row.Rank}"]);
        return new Sheet($"Điểm {year}", headers, rows);
    }
}
