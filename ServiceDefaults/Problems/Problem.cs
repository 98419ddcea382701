using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Problems;

/// <summary>
/// One kind of error a service answers with, declared once (a static field of the service's <c>*Problems</c> class):
/// its <c>type</c> (<c>urn:par:&lt;service&gt;:&lt;code&gt;</c>), HTTP status and vi-VN title. The same kind leaves REST
/// as ProblemDetails and gRPC as the matching status, so both channels give a client the same code.
/// </summary>
public abstract record ProblemKind
{
    protected ProblemKind(string service, string code, int status, string title, StatusCode? grpcStatus)
    {
        Service = service;
        Code = code;
        Status = status;
        Title = title;
        GrpcStatus = grpcStatus ?? ProblemStatus.GrpcOf(status);
    }

    public string Service { get; }
    public string Code { get; }
    public int Status { get; }

    /// <summary>Vietnamese, for the people who read it; <see cref="Problem.Detail"/> says the particulars in English.</summary>
    public string Title { get; }

    public StatusCode GrpcStatus { get; }
    public string Type => $"urn:par:{Service}:{Code}";
}

/// <summary>A <see cref="ProblemKind"/> whose answers are <typeparamref name="TResult"/>, so a handler's return type names it.</summary>
public sealed record ProblemKind<TResult> : ProblemKind where TResult : Problem, IProblemResult<TResult>
{
    public ProblemKind(string service, string code, string title, StatusCode? grpcStatus = null)
        : base(service, code, TResult.Status, title, grpcStatus)
    {
    }

    /// <summary>This error, happening now: <paramref name="detail"/> in English, optional members such as <c>errors</c>.</summary>
    public TResult With(string detail, IReadOnlyDictionary<string, object?>? extensions = null) => TResult.Create(this, detail, extensions);

    /// <summary>With <c>errors</c>: what is wrong with which field (the shape of ASP.NET Core's validation problems).</summary>
    public TResult WithErrors(string detail, IDictionary<string, string[]> errors) =>
        With(detail, new Dictionary<string, object?> { ["errors"] = errors });
}

/// <summary>
/// One error answered: a typed Minimal API result (its subclass, e.g. <see cref="NotFoundProblem"/>, tells OpenAPI
/// the status it answers), a gRPC <see cref="RpcException"/>, or thrown deep in a call chain as a
/// <see cref="ProblemException"/>.
/// </summary>
public abstract class Problem : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    /// <summary>gRPC trailers that carry the problem's <c>type</c> and vi-VN title (binary: UTF-8).</summary>
    public const string TypeTrailer = "problem-type";
    public const string TitleTrailer = "problem-title-bin";

    protected Problem(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions)
    {
        Kind = kind;
        Detail = detail;
        Extensions = extensions;
    }

    public ProblemKind Kind { get; }
    public string Detail { get; }
    public IReadOnlyDictionary<string, object?>? Extensions { get; }

    public int StatusCode => Kind.Status;
    int? IStatusCodeHttpResult.StatusCode => Kind.Status;
    public string ContentType => PlatformProblems.ProblemJson;
    public ProblemDetails Value => ToProblemDetails();
    object? IValueHttpResult.Value => ToProblemDetails();

    public ProblemDetails ToProblemDetails()
    {
        var problem = new ProblemDetails { Status = Kind.Status, Type = Kind.Type, Title = Kind.Title, Detail = Detail };
        foreach (var (name, value) in Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }
        return problem;
    }

    /// <summary>Written through the ProblemDetails service, like every other problem (trace id, charset).</summary>
    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(ToProblemDetails()).ExecuteAsync(httpContext);

    /// <summary>The same error for a gRPC caller: the status mapped from HTTP, the detail as message, type and title as trailers.</summary>
    public RpcException ToRpcException()
    {
        var trailers = new Metadata
        {
            { TypeTrailer, Kind.Type },
            { TitleTrailer, Encoding.UTF8.GetBytes(Kind.Title) },
        };
        return new RpcException(new Status(Kind.GrpcStatus, Detail), trailers, Detail);
    }

    /// <summary>For a rule checked deep inside a call chain (inside a transaction: nothing is saved).</summary>
    public ProblemException ToException() => new(this);

    public override string ToString() => $"{Kind.Status} {Kind.Type}: {Detail}";
}

/// <summary>What a typed problem result knows statically: its HTTP status, and how to make one.</summary>
public interface IProblemResult<TSelf> where TSelf : Problem, IProblemResult<TSelf>
{
    static abstract int Status { get; }
    static abstract TSelf Create(ProblemKind kind, string detail, IReadOnlyDictionary<string, object?>? extensions);
}

/// <summary>HTTP status to gRPC status, one table for every service (and the gateway).</summary>
public static class ProblemStatus
{
    public static StatusCode GrpcOf(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => global::Grpc.Core.StatusCode.InvalidArgument,
        StatusCodes.Status401Unauthorized => global::Grpc.Core.StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => global::Grpc.Core.StatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => global::Grpc.Core.StatusCode.NotFound,
        StatusCodes.Status409Conflict => global::Grpc.Core.StatusCode.FailedPrecondition,
        StatusCodes.Status412PreconditionFailed => global::Grpc.Core.StatusCode.FailedPrecondition,
        StatusCodes.Status413PayloadTooLarge => global::Grpc.Core.StatusCode.ResourceExhausted,
        StatusCodes.Status415UnsupportedMediaType => global::Grpc.Core.StatusCode.InvalidArgument,
        StatusCodes.Status422UnprocessableEntity => global::Grpc.Core.StatusCode.InvalidArgument,
        StatusCodes.Status429TooManyRequests => global::Grpc.Core.StatusCode.ResourceExhausted,
        StatusCodes.Status503ServiceUnavailable => global::Grpc.Core.StatusCode.Unavailable,
        _ => global::Grpc.Core.StatusCode.Internal,
    };
}

/// <summary>A rule refused the request deep inside a call chain; answered by <see cref="ProblemExceptionHandler"/> (REST) and <see cref="ProblemInterceptor"/> (gRPC).</summary>
public sealed class ProblemException(Problem problem) : Exception(problem.ToString())
{
    public Problem Problem { get; } = problem;
}
