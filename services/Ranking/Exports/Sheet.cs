using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;

namespace ParPlatform.Ranking.Exports;

public enum CellKind { Text, Integer, SignedInteger, Points, SignedPoints, Percent }

/// <summary>One cell: text, or a figure kept as a number (points, a percentage, a whole number) and shown in vi-VN.</summary>
public readonly record struct Cell(CellKind Kind, string Text, decimal Number)
{
    public static readonly Cell Empty = Of("");

    public static Cell Of(string? text) => new(CellKind.Text, text ?? "", 0);
    public static Cell Integer(int value) => new(CellKind.Integer, "", value);
    public static Cell SignedInteger(int value) => new(CellKind.SignedInteger, "", value);
    public static Cell Points(decimal value) => new(CellKind.Points, "", value);
    public static Cell SignedPoints(decimal value) => new(CellKind.SignedPoints, "", value);
    /// <param name="percent">In percent (80.28 for 80,28%).</param>
    public static Cell Percent(decimal percent) => new(CellKind.Percent, "", percent);
}

/// <summary>A table: Vietnamese headers, then rows of cells.</summary>
public sealed record Sheet(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<Cell>> Rows);

/// <summary>
/// An export, written as CSV (its first sheet) or XLSX (every sheet). Figures follow <see cref="Figures"/>: points with
/// the set's decimals, percentages with 2, rounded half away from zero.
/// <list type="bullet">
/// <item>CSV: UTF-8 with a byte order mark, a semicolon between cells and a decimal comma in figures ("80,28",
/// "80,28%"), CRLF line ends, RFC 4180 quoting of cells holding a semicolon, quote or line break; what Excel in vi-VN
/// opens straight into columns and numbers.</item>
/// <item>XLSX: figures are numeric cells (a percentage as its fraction, 0.8028) with a number format that Excel shows
/// with the reader's separators ("80,28", "80,28%" in vi-VN), so they sum and sort; texts are shared strings; sheet
/// names keep their diacritics.</item>
/// </list>
/// </summary>
public sealed record Workbook(IReadOnlyList<Sheet> Sheets, int PointDecimals)
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const char CsvDelimiter = ';';

    public byte[] ToCsv()
    {
        var sheet = Sheets[0];
        var csv = new StringBuilder();
        foreach (var line in sheet.Rows.Prepend(sheet.Headers.Select(Cell.Of).ToList()))
        {
            csv.AppendJoin(CsvDelimiter, line.Select(cell => Quote(CsvText(cell)))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public byte[] ToXlsx()
    {
        var strings = new SharedStrings();
        var sheets = Sheets.Select(sheet => SheetXml(sheet, strings)).ToList();
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "[Content_Types].xml",
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"""
                + string.Concat(sheets.Select((_, i) => $"""<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""))
                + "</Types>");
            Write(zip, "_rels/.rels",
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Write(zip, "xl/workbook.xml",
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"""
                + string.Concat(Sheets.Select((sheet, i) => $"""<sheet name="{Escape(SheetName(sheet.Name))}" sheetId="{i + 1}" r:id="rId{i + 1}"/>"""))
                + "</sheets></workbook>");
            Write(zip, "xl/_rels/workbook.xml.rels",
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
                + string.Concat(sheets.Select((_, i) => $"""<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>"""))
                + $"""<Relationship Id="rId{sheets.Count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"""
                + $"""<Relationship Id="rId{sheets.Count + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"""
                + "</Relationships>");
            Write(zip, "xl/styles.xml", StylesXml());
            for (var i = 0; i < sheets.Count; i++)
            {
                Write(zip, $"xl/worksheets/sheet{i + 1}.xml", sheets[i]);
            }
            Write(zip, "xl/sharedStrings.xml", strings.Xml());
        }
        return stream.ToArray();
    }

    private string CsvText(Cell cell) => cell.Kind switch
    {
        CellKind.Integer => ((int)cell.Number).ToString(Figures.Vietnamese),
        CellKind.SignedInteger => (cell.Number > 0 ? "+" : "") + ((int)cell.Number).ToString(Figures.Vietnamese),
        CellKind.Points => Figures.Points(cell.Number, PointDecimals),
        CellKind.SignedPoints => Figures.Change(cell.Number, PointDecimals),
        CellKind.Percent => Figures.Percent(cell.Number),
        _ => cell.Text,
    };

    private static string Quote(string cell) =>
        cell.IndexOfAny([CsvDelimiter, '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;

    // Style indexes in styles.xml, by cell kind; the last one is the header's (bold).
    private static int Style(CellKind kind) => (int)kind;
    private const int HeaderStyle = 6;

    private string StylesXml()
    {
        var points = PointDecimals == 0 ? "#,##0" : "#,##0." + new string('0', PointDecimals);
        return $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="{points}"/><numFmt numFmtId="165" formatCode="+{points};-{points};{points}"/><numFmt numFmtId="166" formatCode="+0;-0;0"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>""";
    }

    private string SheetXml(Sheet sheet, SharedStrings strings)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        var rowNumber = 0;
        foreach (var (cells, header) in sheet.Rows.Select(row => (row, false)).Prepend((sheet.Headers.Select(Cell.Of).ToList(), true)))
        {
            rowNumber++;
            xml.Append($"<row r=\"{rowNumber}\">");
            for (var column = 0; column < cells.Count; column++)
            {
                var cell = cells[column];
                var reference = ColumnName(column) + rowNumber;
                if (cell.Kind == CellKind.Text)
                {
                    xml.Append($"<c r=\"{reference}\" t=\"s\"{(header ? $" s=\"{HeaderStyle}\"" : "")}><v>{strings.Index(cell.Text)}</v></c>");
                }
                else
                {
                    xml.Append($"<c r=\"{reference}\" s=\"{Style(cell.Kind)}\"><v>{Value(cell).ToString(CultureInfo.InvariantCulture)}</v></c>");
                }
            }
            xml.Append("</row>");
        }
        return xml.Append("</sheetData></worksheet>").ToString();
    }

    /// <summary>The number stored: the figure as shown (rounded), a percentage as its fraction.</summary>
    private decimal Value(Cell cell) => cell.Kind switch
    {
        CellKind.Points or CellKind.SignedPoints => Figures.Shown(cell.Number, PointDecimals),
        CellKind.Percent => Figures.Shown(cell.Number, Figures.PercentDecimals) / 100,
        _ => cell.Number,
    };

    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + (index - 1) % 26) + name;
        }
        return name;
    }

    /// <summary>Excel's limits on sheet names: at most 31 characters, none of : \ / ? * [ ]. Diacritics are kept.</summary>
    private static string SheetName(string name)
    {
        var cleaned = new string(name.Select(c => ":\\/?*[]".Contains(c) ? '-' : c).ToArray()).Trim();
        return cleaned.Length <= 31 ? cleaned : cleaned[..31];
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static void Write(ZipArchive zip, string path, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(path, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
        private readonly List<string> _strings = [];
        private int _count;

        public int Index(string text)
        {
            _count++;
            if (!_indexes.TryGetValue(text, out var index))
            {
                _indexes[text] = index = _strings.Count;
                _strings.Add(text);
            }
            return index;
        }

        public string Xml() =>
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{_count}" uniqueCount="{_strings.Count}">"""
            + string.Concat(_strings.Select(text => $"<si><t xml:space=\"preserve\">{Escape(text)}</t></si>"))
            + "</sst>";
    }
}
