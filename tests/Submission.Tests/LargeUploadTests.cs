using System.Diagnostics;
using System.Net.Http.Headers;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

/// <summary>Measures this process's heap, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(LargeUploadTests), DisableParallelization = true)]
public sealed class LargeUploadCollection;

[Collection(nameof(LargeUploadTests))]
public sealed class LargeUploadTests : PlatformTest
{
    private const long Size = 200L * 1024 * 1024;

    protected override bool WithSubmission => false;

    protected override IReadOnlyDictionary<string, string> EvidenceConfiguration =>
        new Dictionary<string, string> { ["EvidenceStorage:MaxUploadBytes"] = (256L * 1024 * 1024).ToString() };

    [Fact]
    public async Task A_200_MB_upload_and_download_keep_memory_flat()
    {
        // Client and service share this process, so any whole-file buffer on either side would show in the heap.
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });

        var watch = Stopwatch.StartNew();
        var body = new StreamContent(new GeneratedPdfStream(Size), 64 * 1024);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var client = Platform.EvidenceAs(Officer1);
        client.Timeout = TimeSpan.FromMinutes(2);
        var stored = await (await client.PostAsync($"/api/evidence-storage/rounds/{RoundId}/evidence?fileName=lon.pdf", body)).ReadAsync<EvidenceDto>();
        var uploadSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        using var download = await client.GetAsync($"/api/evidence-storage/evidence/{stored.Id}/content", HttpCompletionOption.ResponseHeadersRead);
        await using var content = await download.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long downloaded = 0;
        int read;
        while ((read = await content.ReadAsync(buffer)) > 0)
        {
            downloaded += read;
        }
        var downloadSeconds = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;

        var growthMb = (peak - baseline) / 1024.0 / 1024.0;
        Console.WriteLine($"200 MB upload {uploadSeconds:F1} s, download {downloadSeconds:F1} s, managed heap peak +{growthMb:F1} MB over baseline");
        Assert.Equal(Size, stored.Size);
        Assert.Equal(Size, downloaded);
        Assert.True(growthMb < 64, $"managed heap grew by {growthMb:F1} MB");
    }

    /// <summary>A PDF header, zeros, and a trailer, produced on demand: the test never holds the file either.</summary>
    private sealed class GeneratedPdfStream(long length) : Stream
    {
        private static readonly byte[] Trailer = "\ntrailer\n%%EOF\n"u8.ToArray();
        private long _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            buffer[..count].Clear();
            for (var i = 0; i < count && _position + i < Steps.Pdf.Length; i++)
            {
                buffer[i] = Steps.Pdf[_position + i];
            }
            for (var i = 0; i < count; i++)
            {
                var fromEnd = length - (_position + i);
                if (fromEnd <= Trailer.Length)
                {
                    buffer[i] = Trailer[^(int)fromEnd];
                }
            }
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
