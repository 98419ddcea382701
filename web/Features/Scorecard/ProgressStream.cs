namespace ParPlatform.Web.Features.Scorecard;

/// <summary>
/// The browser's file as it is read on its way to evidence-storage, telling how many bytes have gone: the upload's
/// progress bar. Reports at most every 256 KB so a 50 MB file is ~200 renders, not one per SignalR chunk.
/// </summary>
internal sealed class ProgressStream(Stream inner, Action<long> progress) : Stream
{
    private const long ReportEvery = 256 * 1024;
    private long read;
    private long reported;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int bytes)
    {
        read += bytes;
        if (bytes == 0 || read - reported >= ReportEvery)
        {
            reported = read;
            progress(read);
        }
        return bytes;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
