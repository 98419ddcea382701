using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using ParPlatform.EvidenceStorage.Blobs;
using ParPlatform.EvidenceStorage.Criteria;
using ParPlatform.EvidenceStorage.Data;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.EvidenceStorage.Uploads;

public sealed class EvidenceOptions
{
    public const string Section = "EvidenceStorage";

    /// <summary>Folder of the filesystem blob store; the AppHost points it into its state folder.</summary>
    public string Root { get; set; } = "";

    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// The largest request body the service reads to its end, even when it refuses the upload, so that the refusal
    /// reaches clients that send the whole body before reading the answer (see <see cref="RefusedBodies"/>). At least
    /// the gateway's limit for evidence routes (60 MB), and never below <see cref="MaxUploadBytes"/> plus 1 MB of form.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    public long EffectiveMaxRequestBodyBytes => Math.Max(MaxRequestBodyBytes, MaxUploadBytes + 1024 * 1024);
}

public sealed record UploadMetadata(string? FileName, string? Title, string? DocumentNumber, string? Issuer, string? IssueDate);

/// <summary>
/// One upload, whichever way the bytes arrive: checks who and when before reading a byte, streams the content into
/// the blob store (size-limited on the way), judges its type by content, then commits blob and metadata.
/// </summary>
public sealed class EvidenceUploader(
    IBlobStore blobs, TenantDataSource dataSource, CriteriaClient criteria, UnitAssessments assessments,
    IOptions<EvidenceOptions> options, TimeProvider clock)
{
    public long MaxBytes => options.Value.MaxUploadBytes;

    public long MaxRequestBodyBytes => options.Value.EffectiveMaxRequestBodyBytes;

    public async Task EnsureMayUploadAsync(Caller caller, Guid roundId)
    {
        if (!caller.HasRole(PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader) || !Guid.TryParse(caller.UnitId, out _))
        {
            throw EvidenceProblems.Forbidden("Only officials of an evaluated unit upload evidence.");
        }
        var round = await criteria.GetRoundAsync(roundId, CancellationToken.None) ?? throw EvidenceProblems.NotFound($"Round {roundId}");
        if (round.TenantId != caller.TenantId)
        {
            throw EvidenceProblems.Forbidden("The round belongs to another tenant.");
        }
        if (RoundWindows.IsLocked(round, clock.GetUtcNow()) && !await assessments.IsSupplementaryOpenAsync(caller, roundId))
        {
            throw RoundWindows.Locked(round);
        }
    }

    /// <summary>The dates officials write (15/01/2025) and ISO dates (2025-01-15); stored and answered as ISO.</summary>
    private static readonly string[] IssueDateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];

    /// <returns>The metadata with its issue date in ISO form.</returns>
    public static UploadMetadata EnsureValid(UploadMetadata metadata)
    {
        if (!FileNames.IsSafe(metadata.FileName))
        {
            throw EvidenceProblems.UnsafeName.With("The file name is missing or contains path separators, '..', reserved or control characters.").ToException();
        }
        if (string.IsNullOrWhiteSpace(metadata.IssueDate))
        {
            return metadata;
        }
        if (!DateOnly.TryParseExact(metadata.IssueDate.Trim(), IssueDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw EvidenceProblems.InvalidIssueDate.With($"'{metadata.IssueDate}' is not a date: use dd/MM/yyyy (15/01/2025) or yyyy-MM-dd (2025-01-15).").ToException();
        }
        return metadata with { IssueDate = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
    }

    public async Task<EvidenceRecord> StoreAsync(Caller caller, Guid roundId, UploadMetadata metadata, Stream content, CancellationToken cancellationToken)
    {
        metadata = EnsureValid(metadata);
        StagedBlob staged;
        try
        {
            staged = await blobs.StageAsync(content, MaxBytes, cancellationToken);
        }
        catch (BlobTooLargeException)
        {
            throw TooLarge();
        }

        if (staged.Size == 0)
        {
            blobs.Discard(staged);
            throw EvidenceProblems.EmptyFile.With($"'{metadata.FileName}' has no content (0 bytes).").ToException();
        }
        string? mediaType;
        await using (var stream = blobs.OpenStaged(staged))
        {
            mediaType = ContentSniffer.Detect(stream, metadata.FileName!);
        }
        if (mediaType is null)
        {
            blobs.Discard(staged);
            throw EvidenceProblems.TypeNotAllowed.With("Allowed: PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS — judged by the content (a PDF's structure too: header, objects, " +
                "%%EOF trailer), which must match the file name's extension.").ToException();
        }
        await blobs.CommitAsync(staged, cancellationToken);

        var evidence = new EvidenceRecord(Guid.CreateVersion7(), caller.TenantId, Guid.Parse(caller.UnitId!), roundId,
            string.IsNullOrWhiteSpace(metadata.Title) ? metadata.FileName! : metadata.Title.Trim(),
            NullIfBlank(metadata.DocumentNumber), NullIfBlank(metadata.Issuer), NullIfBlank(metadata.IssueDate),
            metadata.FileName!, mediaType, staged.Size, staged.Sha256, caller.UserId, clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await EvidenceData.InsertAsync(connection, evidence);
        return evidence;
    }

    public ProblemException TooLarge() =>
        EvidenceProblems.TooLargeKind.With($"Evidence files may be at most {MaxBytes} bytes.").ToException();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
