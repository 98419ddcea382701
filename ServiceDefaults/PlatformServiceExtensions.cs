using System.Reflection;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Migrations;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.ServiceDefaults;

/// <summary>The back-end shape every domain service shares: its own database, migrations, the broker and gRPC.</summary>
public static class PlatformServiceExtensions
{
    /// <param name="messaging">
    /// False for a service that neither publishes nor consumes events (identity): no bus, no outbox dispatcher, no
    /// broker health check, no ping routes, and it needs no <c>ConnectionStrings__messaging</c>.
    /// </param>
    public static IHostApplicationBuilder AddPlatformService(
        this IHostApplicationBuilder builder,
        string serviceName,
        string databaseName,
        Assembly serviceAssembly,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        bool messaging = true)
    {
        if (!messaging && configureBus is not null)
        {
            throw new ArgumentException("A service without messaging has no bus to configure.", nameof(configureBus));
        }
        builder.AddPostgresDataSource(databaseName);
        builder.AddSqlMigrations(serviceAssembly);
        if (messaging)
        {
            builder.AddMessaging(serviceName, configureBus);
        }
        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.Interceptors.Add<ProblemInterceptor>();
        });
        builder.Services.AddOpenApi();
        builder.Services.AddPlatformAuthentication(builder.Configuration);
        builder.Services.AddSingleton(services => new ServiceInfoSource(
            serviceName,
            serviceAssembly,
            services.GetRequiredService<MigrationState>(),
            services.GetRequiredService<IWebHostEnvironment>()));
        return builder;
    }

    /// <summary>The REST group <c>/api/{service}</c> with the info endpoint, and the ping diagnostics when the service has a bus.</summary>
    public static RouteGroupBuilder MapServiceApiGroup(this WebApplication app, string serviceName)
    {
        // Under the service's own prefix so the document is reachable through the gateway's /api/{service} route.
        app.MapOpenApi($"/api/{serviceName}/openapi/{{documentName}}.json");
        var group = app.MapGroup($"/api/{serviceName}").WithTags(serviceName);
        group.MapGet("/info", (ServiceInfoSource info) => TypedResults.Ok(info.Describe()));
        if (app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(IBus)))
        {
            group.MapPingEndpoints(serviceName);
        }
        return group;
    }
}

/// <summary>What a service reports about itself, over REST (<c>/api/{service}/info</c>) and gRPC (<c>GetServiceInfo</c>).</summary>
public sealed class ServiceInfoSource(string serviceName, Assembly assembly, MigrationState migrations, IWebHostEnvironment environment)
{
    public ServiceInfo Describe() => new()
    {
        Service = serviceName,
        Version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        Environment = environment.EnvironmentName,
        Database = migrations.Database,
        AppliedMigrations = migrations.AppliedMigrations,
        Host = $"{System.Environment.MachineName}:{System.Environment.ProcessId}",
    };
}
