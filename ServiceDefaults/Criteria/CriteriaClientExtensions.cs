using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Grpc;

namespace ParPlatform.ServiceDefaults.Criteria;

public static class CriteriaClientExtensions
{
    /// <summary>
    /// The <see cref="CriteriaClient"/>, over the criteria service's gRPC endpoint through service discovery, with its
    /// options from the <c>CriteriaClient</c> section, and the 503 answer to a REST request the criteria service
    /// could not serve.
    /// </summary>
    /// <param name="configure">Applied after the configuration: a service's own policy (e.g. the survey's round cache).</param>
    public static IHostApplicationBuilder AddCriteriaClient(this IHostApplicationBuilder builder, Action<CriteriaClientOptions>? configure = null)
    {
        builder.Services.AddGrpcServiceClient<CriteriaService.CriteriaServiceClient>(ResourceNames.Criteria);
        var options = builder.Services.AddOptions<CriteriaClientOptions>().Bind(builder.Configuration.GetSection(CriteriaClientOptions.Section));
        if (configure is not null)
        {
            options.Configure(configure);
        }
        builder.Services.AddSingleton<CriteriaClient>();
        builder.Services.AddExceptionHandler<CriteriaUnavailableExceptionHandler>();
        return builder;
    }
}

/// <summary>A REST request that needed the criteria service while it did not answer: 503, the caller may retry.</summary>
internal sealed class CriteriaUnavailableExceptionHandler(IProblemDetailsService problemDetails, ServiceInfoSource service) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not CriteriaUnavailableException unavailable)
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = $"urn:par:{service.Describe().Service}:criteria-unavailable",
                Title = "Dịch vụ bộ tiêu chí tạm thời không phản hồi",
                Detail = unavailable.Message,
            },
        });
    }
}
