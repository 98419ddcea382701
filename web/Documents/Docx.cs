using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ParPlatform.Web.Documents;

/// <summary>
/// The few WordprocessingML pieces an administrative document is made of (Decree 30/2020/NĐ-CP): Times New Roman,
/// 14 pt body and 13 pt tables, A4 with 20-30 mm margins, the national motto header, a signature block.
/// Documents are always Vietnamese: they are filed, whatever language the console shows.
/// </summary>
public static class Docx
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    private const string Font = "Times New Roman";

    public static string Points(decimal? value) => value?.ToString(Vietnamese) ?? "–";

    public static string Percent(decimal value) => value.ToString("N2", Vietnamese) + "%";

    /// <summary>"Quảng Ninh, ngày 02 tháng 12 năm 2026", as the place-and-date line of an administrative document.</summary>
    public static string PlaceAndDate(string place, DateTime date) =>
        $"{place}, ngày {date:dd} tháng {date:MM} năm {date:yyyy}";

    public static byte[] Write(Action<Body> content)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                    new FontSize { Val = "28" }, new Languages { Val = "vi-VN" })),
                new ParagraphPropertiesDefault(new SpacingBetweenLines { After = "60", Line = "288", LineRule = LineSpacingRuleValues.Auto })));
            var body = new Body();
            content(body);
            // A4 portrait; top/bottom 20 mm, left 30 mm, right 15 mm (twips: 1 mm = 56.7).
            body.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1701, Right = 850, Header = 709, Footer = 709, Gutter = 0 }));
            main.Document = new Document(body);
        }
        return stream.ToArray();
    }

    public static Paragraph Text(string text, bool bold = false, bool italic = false, JustificationValues? align = null, int size = 28,
        bool pageBreakBefore = false)
    {
        var properties = new ParagraphProperties();
        if (pageBreakBefore)
        {
            properties.Append(new PageBreakBefore());
        }
        if (align is { } justification)
        {
            properties.Append(new Justification { Val = justification });
        }
        return new Paragraph(properties, Run(text, bold, italic, size));
    }

    public static Run Run(string text, bool bold = false, bool italic = false, int size = 28)
    {
        var properties = new RunProperties();
        if (bold)
        {
            properties.Append(new Bold());
        }
        if (italic)
        {
            properties.Append(new Italic());
        }
        properties.Append(new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        return new Run(properties, new Text(text) { Space = SpaceProcessingModeValues.Preserve });
    }

    /// <summary>The header: issuer on the left, the national motto on the right (a borderless two-column table).</summary>
    public static Table Header(string issuerAbove, string issuer)
    {
        var table = new Table(new TableProperties(new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(new TopBorder { Val = BorderValues.None }, new BottomBorder { Val = BorderValues.None },
                new LeftBorder { Val = BorderValues.None }, new RightBorder { Val = BorderValues.None },
                new InsideHorizontalBorder { Val = BorderValues.None }, new InsideVerticalBorder { Val = BorderValues.None })));
        table.Append(new TableRow(
            Cell([Text(issuerAbove.ToUpper(Vietnamese), align: JustificationValues.Center, size: 26),
                  Text(issuer.ToUpper(Vietnamese), bold: true, align: JustificationValues.Center, size: 26)], 2000),
            Cell([Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, align: JustificationValues.Center, size: 26),
                  Text("Độc lập - Tự do - Hạnh phúc", bold: true, align: JustificationValues.Center, size: 28)], 3000)));
        return table;
    }

    /// <summary>A bordered data table; the first row is the heading (repeated on each page).</summary>
    public static Table Grid(IReadOnlyList<string> headings, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? numberColumns = null,
        Func<int, bool>? boldRow = null)
    {
        var border = () => new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct }, border()));
        var head = new TableRow(new TableRowProperties(new TableHeader()));
        foreach (var heading in headings)
        {
            head.Append(Cell([Text(heading, bold: true, align: JustificationValues.Center, size: 26)]));
        }
        table.Append(head);
        var index = 0;
        foreach (var row in rows)
        {
            var bold = boldRow?.Invoke(index++) == true;
            var tableRow = new TableRow(new TableRowProperties(new CantSplit()));
            for (var column = 0; column < row.Count; column++)
            {
                var number = numberColumns?.Contains(column) == true;
                tableRow.Append(Cell([Text(row[column], bold: bold, align: number ? JustificationValues.Right : JustificationValues.Left, size: 26)]));
            }
            table.Append(tableRow);
        }
        return table;
    }

    /// <summary>The signature block on the right: title, "(Ký, ghi rõ họ tên, đóng dấu)", room to sign.</summary>
    public static Table Signature(string placeAndDate, string title)
    {
        var none = new TableBorders(new TopBorder { Val = BorderValues.None }, new BottomBorder { Val = BorderValues.None },
            new LeftBorder { Val = BorderValues.None }, new RightBorder { Val = BorderValues.None },
            new InsideHorizontalBorder { Val = BorderValues.None }, new InsideVerticalBorder { Val = BorderValues.None });
        var table = new Table(new TableProperties(new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct }, none));
        table.Append(new TableRow(
            Cell([Text("")], 2200),
            Cell([Text(placeAndDate, italic: true, align: JustificationValues.Center),
                  Text(title, bold: true, align: JustificationValues.Center),
                  Text("(Ký, ghi rõ họ tên, đóng dấu)", italic: true, align: JustificationValues.Center, size: 26),
                  Text(""), Text(""), Text("")], 2800)));
        return table;
    }

    private static TableCell Cell(IEnumerable<Paragraph> paragraphs, int? widthPct50 = null)
    {
        var cell = new TableCell();
        if (widthPct50 is { } width)
        {
            cell.Append(new TableCellProperties(new TableCellWidth { Width = width.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Pct }));
        }
        cell.Append(paragraphs);
        return cell;
    }
}
