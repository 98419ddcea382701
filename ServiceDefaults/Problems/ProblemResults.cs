using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Problems;

// One typed result per HTTP status a service answers with: a handler returning Results<Ok<T>, NotFoundProblem, ...>
// lists each of them in its OpenAPI document (IEndpointMetadataProvider), like Ok<T> lists its 200.

internal static class ProblemMetadata
{
    public static void Add(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [PlatformProblems.ProblemJson]));
}

/// <summary>400: the request itself is wrong (a field, a parameter).</summary>
public sealed class BadRequestProblem : Problem, IProblemResult<BadRequestProblem>, IEndpointMetadataProvider
{
    private BadRequestProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status400BadRequest;

    public static BadRequestProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>401: no (valid) identity.</summary>
public sealed class UnauthorizedProblem : Problem, IProblemResult<UnauthorizedProblem>, IEndpointMetadataProvider
{
    private UnauthorizedProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status401Unauthorized;

    public static UnauthorizedProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>403: the caller's role or tenant may not do this.</summary>
public sealed class ForbiddenProblem : Problem, IProblemResult<ForbiddenProblem>, IEndpointMetadataProvider
{
    private ForbiddenProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status403Forbidden;

    public static ForbiddenProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>404: nothing by that id (or not visible to the caller).</summary>
public sealed class NotFoundProblem : Problem, IProblemResult<NotFoundProblem>, IEndpointMetadataProvider
{
    private NotFoundProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status404NotFound;

    public static NotFoundProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>409: the resource's state does not allow it now.</summary>
public sealed class ConflictProblem : Problem, IProblemResult<ConflictProblem>, IEndpointMetadataProvider
{
    private ConflictProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status409Conflict;

    public static ConflictProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>412: the resource changed since the caller read it.</summary>
public sealed class PreconditionFailedProblem : Problem, IProblemResult<PreconditionFailedProblem>, IEndpointMetadataProvider
{
    private PreconditionFailedProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status412PreconditionFailed;

    public static PreconditionFailedProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>413: the body is larger than allowed.</summary>
public sealed class PayloadTooLargeProblem : Problem, IProblemResult<PayloadTooLargeProblem>, IEndpointMetadataProvider
{
    private PayloadTooLargeProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status413PayloadTooLarge;

    public static PayloadTooLargeProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>415: content of a type not accepted.</summary>
public sealed class UnsupportedMediaTypeProblem : Problem, IProblemResult<UnsupportedMediaTypeProblem>, IEndpointMetadataProvider
{
    private UnsupportedMediaTypeProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status415UnsupportedMediaType;

    public static UnsupportedMediaTypeProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>422: well-formed, but a rule refuses it.</summary>
public sealed class UnprocessableProblem : Problem, IProblemResult<UnprocessableProblem>, IEndpointMetadataProvider
{
    private UnprocessableProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status422UnprocessableEntity;

    public static UnprocessableProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>429: too many requests; try again later.</summary>
public sealed class TooManyRequestsProblem : Problem, IProblemResult<TooManyRequestsProblem>, IEndpointMetadataProvider
{
    private TooManyRequestsProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status429TooManyRequests;

    public static TooManyRequestsProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}

/// <summary>503: a dependency did not answer; try again.</summary>
public sealed class ServiceUnavailableProblem : Problem, IProblemResult<ServiceUnavailableProblem>, IEndpointMetadataProvider
{
    private ServiceUnavailableProblem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) : base(kind, detail, extensions)
    {
    }

    public static int Status => StatusCodes.Status503ServiceUnavailable;

    public static ServiceUnavailableProblem Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions) => new(kind, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemMetadata.Add(builder, Status);
}
