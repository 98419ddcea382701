using DocumentFormat.OpenXml.Wordprocessing;
using ParPlatform.Web.Features.Appraisal;
using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Documents;

// What the annex reads of the ranking service's publication (GET .../publications/{version}, camelCase).
public sealed record PublicationView(int Version, DateTimeOffset PublishedAt, PublishedTableView Table);

public sealed record PublishedTableView(string TenantId, string RankingGroup, int Year, string RoundName, IReadOnlyList<PublishedRowView> Rows);

public sealed record PublishedRowView(int Rank, PublishedUnitView Result, string? UnitCode);

public sealed record PublishedUnitView(Guid UnitId, string UnitName, decimal TotalPoints, decimal ApplicableMaxPoints, string? Band)
{
    public decimal IndexPercent => ApplicableMaxPoints == 0 ? 0 : TotalPoints * 100 / ApplicableMaxPoints;
}

/// <summary>What the identity service answers of a province (GET api/identity/tenants/{code}).</summary>
public sealed record TenantView(string Code, string Name);

/// <summary>
/// Who issues a document, from the tenant's registered name ("Tỉnh Quảng Ninh", "Thành phố Hải Phòng", "Bộ Nội vụ"):
/// the header line ("UBND TỈNH QUẢNG NINH"), the place before the date ("Quảng Ninh, ngày ...") and the signing body.
/// </summary>
public sealed record Issuer(string Header, string Place, string SigningBody)
{
    private static readonly System.Globalization.CultureInfo Vietnamese = new("vi-VN");

    public static Issuer Of(TenantView tenant)
    {
        var name = tenant.Name.Trim();
        foreach (var kind in (string[])["Tỉnh ", "Thành phố "])
        {
            if (name.StartsWith(kind, StringComparison.OrdinalIgnoreCase))
            {
                var level = kind.Trim().ToUpper(Vietnamese);
                return new Issuer($"UBND {name.ToUpper(Vietnamese)}", name[kind.Length..], $"TM. ỦY BAN NHÂN DÂN {level}");
            }
        }
        // A ministry or a tenant named otherwise: its own name heads the document, and the Ministry signs in Hà Nội.
        return new Issuer(name.ToUpper(Vietnamese), "Hà Nội", $"TM. {name.ToUpper(Vietnamese)}");
    }
}

/// <summary>The console's two DOCX documents: the unit's self-assessment report and the province's results annex.</summary>
public static class Reports
{

    /// <summary>Báo cáo tự đánh giá: the summary by field and item, the explanations for items without evidence, the leader's signature.</summary>
    public static byte[] SelfAssessment(Issuer issuer, RoundView round, string unitName, AssessmentDetail assessment, DateTime date) => Docx.Write(body =>
    {
        body.Append(Docx.Header(issuer.Header, unitName));
        body.Append(Docx.Text(""));
        body.Append(Docx.Text("BÁO CÁO", bold: true, align: JustificationValues.Center));
        body.Append(Docx.Text($"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính — {round.Name}", bold: true, align: JustificationValues.Center));
        body.Append(Docx.Text($"Đơn vị: {unitName}. Kỳ đánh giá: {round.Name} (năm {round.Year}). Trạng thái: {Status(assessment.Status)}."));
        body.Append(Docx.Text("I. TỔNG HỢP ĐIỂM TỰ ĐÁNH GIÁ", bold: true));
        var fields = Review.Fields(assessment.Items);
        var rows = new List<IReadOnlyList<string>>();
        var fieldRows = new HashSet<int>();
        foreach (var field in fields)
        {
            fieldRows.Add(rows.Count);
            rows.Add([field.FieldCode, field.FieldName, Docx.Points(field.MaxPoints), Docx.Points(field.SelfScore)]);
            foreach (var item in assessment.Items.Where(item => item.FieldCode == field.FieldCode))
            {
                rows.Add([item.Code, item.Name, Docx.Points(item.MaxPoints), Docx.Points(item.SelfScore)]);
            }
        }
        fieldRows.Add(rows.Count);
        rows.Add(["", "Tổng cộng", Docx.Points(fields.Sum(field => field.MaxPoints)), Docx.Points(fields.Sum(field => field.SelfScore))]);
        body.Append(Docx.Grid(["Mã", "Lĩnh vực / Tiêu chí", "Điểm tối đa", "Điểm tự chấm"], rows, new HashSet<int> { 2, 3 }, fieldRows.Contains));
        body.Append(Docx.Text("II. GIẢI TRÌNH CÁC TIÊU CHÍ CHƯA CÓ TÀI LIỆU KIỂM CHỨNG", bold: true));
        var without = assessment.Items.Where(item => item.WithoutEvidence).ToList();
        if (without.Count == 0)
        {
            body.Append(Docx.Text("Mọi tiêu chí cần tài liệu kiểm chứng đều đã có tài liệu."));
        }
        else
        {
            body.Append(Docx.Grid(["Mã", "Tiêu chí", "Điểm tự chấm", "Giải trình của đơn vị"],
                without.Select(item => (IReadOnlyList<string>)[item.Code, item.Name, Docx.Points(item.SelfScore),
                    string.IsNullOrWhiteSpace(item.Explanation) ? "(chưa giải trình)" : item.Explanation]), new HashSet<int> { 2 }));
        }
        body.Append(Docx.Text(""));
        body.Append(Docx.Signature(Docx.PlaceAndDate(issuer.Place, date), "THỦ TRƯỞNG ĐƠN VỊ"));
    });

    /// <summary>Phụ lục kết quả: the published ranking of one group with rank, unit, points, percent and band.</summary>
    public static byte[] Annex(Issuer issuer, PublicationView publication, DateTime date) => Docx.Write(body =>
    {
        var table = publication.Table;
        body.Append(Docx.Header("", issuer.Header));
        body.Append(Docx.Text(""));
        body.Append(Docx.Text("PHỤ LỤC", bold: true, align: JustificationValues.Center));
        body.Append(Docx.Text($"Kết quả Chỉ số cải cách hành chính năm {table.Year} — {table.RoundName}", bold: true, align: JustificationValues.Center));
        body.Append(Docx.Text($"Nhóm xếp hạng: {table.RankingGroup}. Công bố lần {publication.Version}, ngày {Ui.Date(publication.PublishedAt)}.",
            italic: true, align: JustificationValues.Center));
        body.Append(Docx.Grid(["Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp loại"],
            table.Rows.OrderBy(row => row.Rank).Select(row => (IReadOnlyList<string>)[row.Rank.ToString(Docx.Vietnamese), row.Result.UnitName,
                Docx.Points(row.Result.TotalPoints), Docx.Percent(row.Result.IndexPercent), row.Result.Band ?? "–"]),
            new HashSet<int> { 0, 2, 3 }));
        body.Append(Docx.Text(""));
        body.Append(Docx.Signature(Docx.PlaceAndDate(issuer.Place, date), issuer.SigningBody));
    });

    private static string Status(string status) => status switch
    {
        "Draft" => "đang tự đánh giá",
        "SubmittedForApproval" => "chờ lãnh đạo phê duyệt",
        "Approved" => "đã phê duyệt",
        "UnderAppraisal" => "đang thẩm định",
        "Finalized" => "đã hoàn thành thẩm định",
        _ => status,
    };
}
