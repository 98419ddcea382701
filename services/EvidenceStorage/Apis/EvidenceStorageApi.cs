using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.EvidenceStorage.Blobs;
using ParPlatform.EvidenceStorage.Criteria;
using ParPlatform.EvidenceStorage.Data;
using ParPlatform.EvidenceStorage.Uploads;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.EvidenceStorage.Apis;

internal static class EvidenceStorageApi
{
    public static RouteGroupBuilder MapEvidenceStorageApi(this WebApplication app)
    {
        var api = app.MapServiceApiGroup(ResourceNames.EvidenceStorage);
        var secured = api.MapGroup("").RequireAuthorization();
        secured.MapPost("/rounds/{roundId:guid}/evidence", UploadRawAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        secured.MapPost("/rounds/{roundId:guid}/evidence/form", UploadMultipartAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        secured.MapGet("/rounds/{roundId:guid}/evidence", ListAsync);
        secured.MapGet("/rounds/{roundId:guid}/units/{unitId:guid}/evidence", ListUnitAsync);
        secured.MapGet("/rounds/{roundId:guid}/units/{unitId:guid}/evidence/audit", AuditAsync);
        secured.MapGet("/evidence/{id:guid}", async Task<Results<Ok<EvidenceRecord>, NotFoundProblem>> (Guid id, HttpContext http, TenantDataSource dataSource) =>
            TypedResults.Ok(await ReadableAsync(id, http, dataSource)));
        secured.MapGet("/evidence/{id:guid}/content", DownloadAsync);
        secured.MapDelete("/evidence/{id:guid}", DeleteAsync);
        return api;
    }

    /// <summary>The body is the file; metadata in the query (<c>fileName</c>, <c>title</c>, <c>documentNumber</c>, <c>issuer</c>, <c>issueDate</c>).</summary>
    /// <remarks>Six statuses fit the result union; 404 (round) and 422 (empty file) are declared where the route is mapped.</remarks>
    private static async Task<Results<Created<EvidenceRecord>, BadRequestProblem, ForbiddenProblem, ConflictProblem, PayloadTooLargeProblem, UnsupportedMediaTypeProblem>> UploadRawAsync(Guid roundId, [AsParameters] UploadMetadata metadata,
        HttpContext http, EvidenceUploader uploader)
    {
        var caller = Caller.Of(http);
        await uploader.EnsureMayUploadAsync(caller, roundId);
        EvidenceUploader.EnsureValid(metadata);
        if (http.Request.ContentLength > uploader.MaxBytes)
        {
            throw uploader.TooLarge();
        }
        RefusedBodies.StartReading(http, uploader.MaxRequestBodyBytes);
        var evidence = await uploader.StoreAsync(caller, roundId, metadata, http.Request.Body, http.RequestAborted);
        return TypedResults.Created($"evidence/{evidence.Id}", evidence);
    }

    /// <summary>
    /// multipart/form-data read section by section, never buffered: the text fields (title, documentNumber, issuer,
    /// issueDate) must come before the one file part, whose file name is taken from its Content-Disposition.
    /// </summary>
    private static async Task<Results<Created<EvidenceRecord>, BadRequestProblem, ForbiddenProblem, ConflictProblem, PayloadTooLargeProblem, UnsupportedMediaTypeProblem>> UploadMultipartAsync(Guid roundId, HttpContext http, EvidenceUploader uploader)
    {
        var caller = Caller.Of(http);
        await uploader.EnsureMayUploadAsync(caller, roundId);
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType) ||
            HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw EvidenceProblems.NotMultipart.With("Send multipart/form-data with a boundary.").ToException();
        }
        RefusedBodies.StartReading(http, uploader.MaxRequestBodyBytes);
        var reader = new MultipartReader(boundary, http.Request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }
            if (disposition.IsFileDisposition())
            {
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var metadata = new UploadMetadata(fileName, fields.GetValueOrDefault("title"), fields.GetValueOrDefault("documentNumber"),
                    fields.GetValueOrDefault("issuer"), fields.GetValueOrDefault("issueDate"));
                var evidence = await uploader.StoreAsync(caller, roundId, metadata, section.Body, http.RequestAborted);
                return TypedResults.Created($"evidence/{evidence.Id}", evidence);
            }
            if (disposition.IsFormDisposition() && fields.Count < 20)
            {
                fields[HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? ""] = await new FormMultipartSection(section, disposition).GetValueAsync();
            }
        }
        throw EvidenceProblems.NoFile.With("The form has no file part.").ToException();
    }

    private static async Task<Results<Ok<IReadOnlyList<EvidenceRecord>>, ForbiddenProblem>> ListAsync(Guid roundId, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        if (!Guid.TryParse(caller.UnitId, out var unitId))
        {
            throw EvidenceProblems.Forbidden("Listing is per unit: call as an official of the unit.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await EvidenceData.ListAsync(connection, caller.TenantId, roundId, unitId));
    }

    /// <summary>
    /// A unit's files in a round (not deleted), for whoever may read that unit's evidence: the unit's own officials,
    /// the round's tenant's appraisers, provincial admins and viewers, and national admins.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<EvidenceRecord>>, ForbiddenProblem, NotFoundProblem>> ListUnitAsync(Guid roundId, Guid unitId, HttpContext http,
        TenantDataSource dataSource, CriteriaClient criteria)
    {
        var tenantId = await ReadableUnitAsync(roundId, unitId, http, criteria);
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await EvidenceData.ListAsync(connection, tenantId, roundId, unitId));
    }

    /// <summary>The deletions of a unit's files in a round (who, by name, and when), for the same readers.</summary>
    private static async Task<Results<Ok<IReadOnlyList<EvidenceAuditEntry>>, ForbiddenProblem, NotFoundProblem>> AuditAsync(Guid roundId, Guid unitId, HttpContext http,
        TenantDataSource dataSource, CriteriaClient criteria)
    {
        var tenantId = await ReadableUnitAsync(roundId, unitId, http, criteria);
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await EvidenceData.AuditAsync(connection, tenantId, roundId, unitId));
    }

    private static async Task<string> ReadableUnitAsync(Guid roundId, Guid unitId, HttpContext http, CriteriaClient criteria)
    {
        var caller = Caller.Of(http);
        var round = await criteria.GetRoundAsync(roundId, http.RequestAborted) ?? throw EvidenceProblems.NotFound($"Round {roundId}");
        return MayRead(caller, round.TenantId, unitId)
            ? round.TenantId
            : throw EvidenceProblems.Forbidden("Only the unit itself and the round's appraisers and administrators may list its evidence.");
    }

    private static async Task<Results<FileStreamHttpResult, NotFoundProblem>> DownloadAsync(Guid id, HttpContext http, TenantDataSource dataSource, IBlobStore blobs)
    {
        var evidence = await ReadableAsync(id, http, dataSource);
        var content = blobs.OpenRead(evidence.Sha256) ?? throw EvidenceProblems.NotFound($"Content of evidence {id}");
        return TypedResults.Stream(content, evidence.MediaType, evidence.FileName, enableRangeProcessing: true);
    }

    /// <summary>
    /// The owning unit's officials, while the round's self-assessment is open, and only a file no item of the unit's
    /// assessment refers to (a draft's items must detach it first; a submitted one keeps it). Audited.
    /// </summary>
    private static async Task<Results<NoContent, ForbiddenProblem, NotFoundProblem, ConflictProblem, ServiceUnavailableProblem>> DeleteAsync(Guid id, HttpContext http, TenantDataSource dataSource, CriteriaClient criteria,
        UnitAssessments assessments, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        var evidence = await ReadableAsync(id, http, dataSource);
        if (!caller.HasRole(PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader) || !IsUnit(caller, evidence.UnitId))
        {
            throw EvidenceProblems.Forbidden("Only officials of the owning unit may delete its evidence.");
        }
        var round = await criteria.GetRoundAsync(evidence.RoundId, http.RequestAborted) ?? throw EvidenceProblems.NotFound($"Round {evidence.RoundId}");
        if (RoundWindows.IsLocked(round, clock.GetUtcNow()))
        {
            throw RoundWindows.Locked(round);
        }
        await assessments.EnsureNotReferencedAsync(caller, evidence.RoundId, evidence.Id);
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        await EvidenceData.DeleteAsync(connection, evidence, caller, clock.GetUtcNow());
        return TypedResults.NoContent();
    }

    /// <summary>The owning unit's officials, and the tenant's appraisers and administrators (national ones anywhere).</summary>
    private static async Task<EvidenceRecord> ReadableAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var evidence = await EvidenceData.GetAsync(connection, id) ?? throw EvidenceProblems.NotFound($"Evidence {id}");
        // Another unit learns nothing, not even that the id exists.
        return CanRead(caller, evidence) ? evidence : throw EvidenceProblems.NotFound($"Evidence {id}");
    }

    /// <summary>The one read rule, for REST and gRPC alike.</summary>
    public static bool CanRead(Caller caller, EvidenceRecord evidence) => MayRead(caller, evidence.TenantId, evidence.UnitId);

    private static bool MayRead(Caller caller, string tenantId, Guid unitId)
    {
        var ownUnit = caller.HasRole(PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader)
            && caller.TenantId == tenantId && IsUnit(caller, unitId);
        var overseer = caller.HasRole(PlatformRoles.NationalAdmin) || (caller.TenantId == tenantId
            && caller.HasRole(PlatformRoles.Appraiser, PlatformRoles.ProvincialAdmin, PlatformRoles.Viewer));
        return ownUnit || overseer;
    }

    private static bool IsUnit(Caller caller, Guid unitId) => Guid.TryParse(caller.UnitId, out var unit) && unit == unitId;
}
