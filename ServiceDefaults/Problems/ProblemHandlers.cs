using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Problems;

/// <summary>
/// The one place a thrown <see cref="ProblemException"/> (and a request without a platform identity) becomes a REST
/// answer: the problem's ProblemDetails, with its status. Registered by <c>AddServiceDefaults</c>.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (PlatformProblems.Of(exception) is not { } problem)
        {
            return false;
        }
        context.Response.StatusCode = problem.StatusCode;
        await problem.ExecuteAsync(context);
        return true;
    }
}

/// <summary>The same for gRPC: a thrown <see cref="ProblemException"/> leaves as its <see cref="RpcException"/>.</summary>
public sealed class ProblemInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (PlatformProblems.Of(exception) is { } problem)
        {
            throw problem.ToRpcException();
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception exception) when (PlatformProblems.Of(exception) is { } problem)
        {
            throw problem.ToRpcException();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (PlatformProblems.Of(exception) is { } problem)
        {
            throw problem.ToRpcException();
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception exception) when (PlatformProblems.Of(exception) is { } problem)
        {
            throw problem.ToRpcException();
        }
    }
}
