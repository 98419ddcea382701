using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to opt a client out.
using ParPlatform.Contracts;

using Microsoft.Extensions.Hosting;

namespace ParPlatform.ServiceDefaults.Grpc;

public static class GrpcExtensions
{
    /// <summary>
    /// A typed gRPC client for another service, addressed through service discovery (<c>http://_grpc.{service}</c>,
    /// resolved from <c>services__{service}__grpc__0</c>). The HTTP resilience handler is removed: it ignores gRPC
    /// status codes and its timeouts cut streams. gRPC's own retry policy retries Unavailable instead; callers set
    /// deadlines per call.
    /// </summary>
    public static IHttpClientBuilder AddGrpcServiceClient<TClient>(this IServiceCollection services, string serviceName)
        where TClient : ClientBase
    {
        return services
            .AddGrpcClient<TClient>(options => options.Address = new Uri(ResourceNames.GrpcAddress(serviceName)))
            .ConfigureChannel(channel => channel.ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 4,
                            InitialBackoff = TimeSpan.FromMilliseconds(200),
                            MaxBackoff = TimeSpan.FromSeconds(2),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            })
            .RemoveAllResilienceHandlers();
    }
}
