using System.Text;
using MiniExcelLibs;

namespace ParPlatform.Ranking.Exports;

/// <summary>A table as printed: Vietnamese headers and already formatted cells, written as CSV or XLSX.</summary>
public sealed record Sheet(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>RFC 4180 with a UTF-8 byte order mark, so Excel shows Vietnamese letters; "79,88%" is quoted.</summary>
    public byte[] ToCsv()
    {
        var csv = new StringBuilder();
        foreach (var line in Rows.Prepend(Headers))
        {
            csv.AppendJoin(',', line.Select(Quote)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public byte[] ToXlsx()
    {
        var rows = Rows.Select(row => (IDictionary<string, object?>)Headers.Zip(row).ToDictionary(cell => cell.First, cell => (object?)cell.Second));
        using var stream = new MemoryStream();
        stream.SaveAs(rows.ToList(), sheetName: Name, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
}
