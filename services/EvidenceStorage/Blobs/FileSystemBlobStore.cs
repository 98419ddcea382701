using System.Buffers;
using System.Security.Cryptography;

namespace ParPlatform.EvidenceStorage.Blobs;

/// <summary>
/// Blobs as files <c>{root}/ab/cd/abcd…</c>. Written to <c>{root}/staging</c> and renamed into place, so a reader
/// never sees half a file and a crash leaves at most a staging file behind. The buffer is pooled and fixed: memory
/// does not grow with the file.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const int BufferSize = 81920;
    private readonly string _root;
    private readonly string _staging;

    public FileSystemBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _staging = Path.Combine(_root, "staging");
        Directory.CreateDirectory(_staging);
    }

    public async Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid().ToString("N");
        var path = Path.Combine(_staging, key);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                file.Flush(flushToDisk: true);
            }
            return new StagedBlob(Convert.ToHexStringLower(hash.GetHashAndReset()), size, key);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Stream OpenStaged(StagedBlob blob) => OpenFile(StagingPath(blob));

    public Task CommitAsync(StagedBlob blob, CancellationToken cancellationToken)
    {
        var target = BlobPath(blob.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(StagingPath(blob), target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Same bytes already stored (dedupe, or a concurrent identical upload won the rename).
            File.Delete(StagingPath(blob));
        }
        return Task.CompletedTask;
    }

    public void Discard(StagedBlob blob) => File.Delete(StagingPath(blob));

    public Stream? OpenRead(string sha256)
    {
        var path = BlobPath(sha256);
        return File.Exists(path) ? OpenFile(path) : null;
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private string StagingPath(StagedBlob blob) => Path.Combine(_staging, Path.GetFileName(blob.StagingKey));

    private string BlobPath(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a lower-case SHA-256 hex string.", nameof(sha256));
        }
        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }
}
