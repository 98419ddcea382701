extern alias web;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using web::ParPlatform.Web.Documents;
using web::ParPlatform.Web.Features.Appraisal;
using web::ParPlatform.Web.Platform;

namespace ParPlatform.Web.Tests.Journeys;

/// <summary>The DOCX documents, opened back with DocumentFormat.OpenXml: tables, Vietnamese text, vi-VN figures.
/// Plain facts on the generators (no platform, no browser): they run in milliseconds.</summary>
public sealed class DocumentsJourneyTests
{
    private static readonly DateTime Day = new(2026, 12, 2);

    [Fact]
    public void Self_assessment_report_has_the_motto_the_summary_the_explanations_and_the_signature()
    {
        var windows = new RoundWindowsView(default, default, default, default, default, default, default);
        var round = new RoundView(Guid.NewGuid(), "quang-ninh", 2026, "Kỳ đánh giá năm 2026", Guid.NewGuid(), "so-nganh", windows);
        ItemDetail Item(string code, string field, string fieldName, decimal max, decimal? self, bool evidence, string? explanation) =>
            new(code, field, fieldName, $"Tiêu chí {code}", "regular", max, 0, true, self, explanation, evidence ? [Guid.NewGuid()] : [],
                null, null, null, null, null, null, null, 1, null);
        var assessment = new AssessmentDetail(Guid.NewGuid(), round.Id, "quang-ninh", Guid.NewGuid(), "SubmittedForApproval", 0, 1,
        [
            Item("1.1", "1", "Công tác chỉ đạo, điều hành", 3, 2.25m, true, null),
            Item("1.2", "1", "Công tác chỉ đạo, điều hành", 2, 1.5m, false, "Văn bản đang trình ký, sẽ bổ sung."),
            Item("2.1", "2", "Xây dựng và tổ chức thực hiện văn bản", 4, 4m, true, null),
        ]);

        var text = Open(Reports.SelfAssessment(Issuer.Of(new TenantView("quang-ninh", "Tỉnh Quảng Ninh")), round, "Sở Tư pháp", assessment, Day), out var tables);

        Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text);
        Assert.Contains("Độc lập - Tự do - Hạnh phúc", text);
        Assert.Contains("UBND TỈNH QUẢNG NINH", text);
        Assert.Contains("SỞ TƯ PHÁP", text);
        Assert.Contains("Kỳ đánh giá năm 2026", text);
        Assert.Contains("THỦ TRƯỞNG ĐƠN VỊ", text);
        Assert.Contains("Quảng Ninh, ngày 02 tháng 12 năm 2026", text);
        var summary = Rows(tables[1]);
        Assert.Equal(["Mã", "Lĩnh vực / Tiêu chí", "Điểm tối đa", "Điểm tự chấm"], summary[0]);
        Assert.Equal(["1", "Công tác chỉ đạo, điều hành", "5", "3,75"], summary[1]);
        Assert.Equal(["1.1", "Tiêu chí 1.1", "3", "2,25"], summary[2]);
        Assert.Equal(["", "Tổng cộng", "9", "7,75"], summary[^1]);
        var explanations = Rows(tables[2]);
        Assert.Equal(2, explanations.Count);
        Assert.Equal(["1.2", "Tiêu chí 1.2", "1,5", "Văn bản đang trình ký, sẽ bổ sung."], explanations[1]);
    }

    [Fact]
    public void Results_annex_lists_the_published_ranking_with_vi_VN_figures()
    {
        var publication = new PublicationView(2, new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), new PublishedTableView("hai-phong", "so-nganh", 2026,
            "Kỳ đánh giá năm 2026",
            [
                new(2, new(Guid.NewGuid(), "Sở Tài chính", 80.5m, 100m, "Khá"), "STC"),
                new(1, new(Guid.NewGuid(), "Sở Tư pháp", 91.25m, 100m, "Tốt"), "STP"),
            ]));

        var text = Open(Reports.Annex(Issuer.Of(new TenantView("hai-phong", "Thành phố Hải Phòng")), publication, Day), out var tables);

        // The issuing province is the table's, named from the identity service's register (not a built-in Quảng Ninh).
        Assert.Contains("UBND THÀNH PHỐ HẢI PHÒNG", text);
        Assert.Contains("TM. ỦY BAN NHÂN DÂN THÀNH PHỐ", text);
        Assert.Contains("Hải Phòng, ngày 02 tháng 12 năm 2026", text);
        Assert.DoesNotContain("Quảng Ninh", text);
        Assert.Contains("PHỤ LỤC", text);
        Assert.Contains("Công bố lần 2, ngày 01/12/2026", text);
        var rows = Rows(tables[1]);
        Assert.Equal(["Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp loại"], rows[0]);
        Assert.Equal(["1", "Sở Tư pháp", "91,25", "91,25%", "Tốt"], rows[1]);
        Assert.Equal(["2", "Sở Tài chính", "80,5", "80,50%", "Khá"], rows[2]);
    }

    private static string Open(byte[] docx, out IReadOnlyList<Table> tables)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var body = document.MainDocumentPart!.Document.Body!;
        tables = body.Elements<Table>().ToList();
        var fonts = document.MainDocumentPart.StyleDefinitionsPart!.Styles!.Descendants<RunFonts>().First();
        Assert.Equal("Times New Roman", fonts.Ascii);
        return string.Join("\n", body.Descendants<Paragraph>().Select(paragraph => paragraph.InnerText));
    }

    private static List<string[]> Rows(Table table) =>
        table.Elements<TableRow>().Select(row => row.Elements<TableCell>().Select(cell => cell.InnerText).ToArray()).ToList();
}
