using System.IO.Compression;

namespace ParPlatform.EvidenceStorage.Uploads;

/// <summary>
/// The allow-list, judged by content (magic bytes), not by the name: a renamed .exe is not a PDF. The name's
/// extension must also agree with the content, so what a downloader's operating system opens is what was checked.
/// </summary>
public static class ContentSniffer
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Doc = "application/msword";
    public const string Xls = "application/vnd.ms-excel";

    private static readonly Dictionary<string, string> MediaTypeByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = Pdf, [".png"] = Png, [".jpg"] = Jpeg, [".jpeg"] = Jpeg,
        [".docx"] = Docx, [".xlsx"] = Xlsx, [".doc"] = Doc, [".xls"] = Xls,
    };

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <returns>The media type when the content is allowed and matches the name's extension; otherwise null.</returns>
    public static string? Detect(Stream content, string fileName)
    {
        if (!MediaTypeByExtension.TryGetValue(Path.GetExtension(fileName), out var claimed))
        {
            return null;
        }
        Span<byte> header = stackalloc byte[8];
        var read = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        header = header[..read];
        content.Position = 0;

        var detected = header switch
        {
            _ when header.StartsWith(PdfMagic) => PortableDocument(content),
            _ when header.StartsWith(PngMagic) => Png,
            _ when header.StartsWith(JpegMagic) => Jpeg,
            _ when header.StartsWith(ZipMagic) => OfficeOpenXml(content),
            // Legacy Word and Excel share one container format (OLE2); the extension tells which of the two it is.
            _ when header.StartsWith(OleMagic) && claimed is Doc or Xls => claimed,
            _ => null,
        };
        return detected == claimed ? detected : null;
    }

    /// <summary>
    /// A PDF beyond its first bytes: readers look for the "%%EOF" trailer within the last 1 KB (writers may append a
    /// few bytes after it), and a document has a cross-reference pointer ("startxref") or at least an indirect object
    /// ("1 0 obj"). Incremental updates and linearised files end the same way; a header followed by junk does not.
    /// </summary>
    private static string? PortableDocument(Stream content)
    {
        const int Window = 1024;
        try
        {
            var tail = new byte[(int)Math.Min(Window, content.Length)];
            content.Seek(-tail.Length, SeekOrigin.End);
            content.ReadExactly(tail);
            if (tail.AsSpan().LastIndexOf("%%EOF"u8) < 0)
            {
                return null;
            }
            if (tail.AsSpan().IndexOf("startxref"u8) >= 0)
            {
                return Pdf;
            }
            var head = new byte[(int)Math.Min(64 * 1024, content.Length)];
            content.Position = 0;
            content.ReadExactly(head);
            return HasIndirectObject(head) ? Pdf : null;
        }
        finally
        {
            content.Position = 0;
        }
    }

    // "<number> <generation> obj", with any whitespace between.
    private static bool HasIndirectObject(ReadOnlySpan<byte> bytes)
    {
        for (var at = bytes.IndexOf("obj"u8); at >= 0; at = NextIndex(bytes, at, "obj"u8))
        {
            var i = at - 1;
            if (!SkipWhitespace(bytes, ref i) || !SkipDigits(bytes, ref i) || !SkipWhitespace(bytes, ref i) || !SkipDigits(bytes, ref i))
            {
                continue;
            }
            return true;
        }
        return false;
    }

    private static int NextIndex(ReadOnlySpan<byte> bytes, int after, ReadOnlySpan<byte> value)
    {
        var next = bytes[(after + 1)..].IndexOf(value);
        return next < 0 ? -1 : after + 1 + next;
    }

    private static bool SkipWhitespace(ReadOnlySpan<byte> bytes, ref int i)
    {
        var start = i;
        while (i >= 0 && bytes[i] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t' or 0)
        {
            i--;
        }
        return i < start;
    }

    private static bool SkipDigits(ReadOnlySpan<byte> bytes, ref int i)
    {
        var start = i;
        while (i >= 0 && bytes[i] is >= (byte)'0' and <= (byte)'9')
        {
            i--;
        }
        return i < start;
    }

    // A .docx or .xlsx is a zip with a content-types part and the main part of its kind; any other zip is refused.
    private static string? OfficeOpenXml(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.GetEntry("[Content_Types].xml") is null)
            {
                return null;
            }
            return zip.GetEntry("word/document.xml") is not null ? Docx
                : zip.GetEntry("xl/workbook.xml") is not null ? Xlsx
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
