namespace ParPlatform.EvidenceStorage.Blobs;

/// <summary>
/// A content-addressed store: a blob's name is the SHA-256 of its bytes. Uploads are staged first (streamed, hashed
/// and size-checked on the way), inspected, then committed atomically or discarded. Filesystem today; an
/// S3-compatible store can implement the same five calls.
/// </summary>
public interface IBlobStore
{
    /// <exception cref="BlobTooLargeException">The content exceeds <paramref name="maxBytes"/>; nothing is kept.</exception>
    Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Reads a staged blob back (seekable), to judge its type before committing it.</summary>
    Stream OpenStaged(StagedBlob blob);

    /// <summary>Makes the staged blob readable under its hash; identical content already stored is kept once.</summary>
    Task CommitAsync(StagedBlob blob, CancellationToken cancellationToken);

    void Discard(StagedBlob blob);

    Stream? OpenRead(string sha256);
}

public sealed record StagedBlob(string Sha256, long Size, string StagingKey);

public sealed class BlobTooLargeException(long maxBytes) : Exception($"The content exceeds {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
