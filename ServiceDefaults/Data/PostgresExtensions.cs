using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ParPlatform.ServiceDefaults.Data;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers the service's one <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings__{connectionName}</c>
    /// (the key Aspire hands out) and a ready check that runs <c>SELECT 1</c> against it.
    /// </summary>
    public static IHostApplicationBuilder AddPostgresDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing: set ConnectionStrings__{connectionName}.");

        DapperTypeHandlers.Register();
        builder.Services.AddSingleton(services =>
            new NpgsqlDataSourceBuilder(connectionString)
                .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
                .Build());
        builder.Services.AddSingleton(services => new TenantDataSource(services.GetRequiredService<NpgsqlDataSource>()));

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            services => new PostgresHealthCheck(services.GetRequiredService<NpgsqlDataSource>()),
            failureStatus: HealthStatus.Unhealthy,
            tags: [ServiceDefaultsExtensions.ReadyTag],
            timeout: TimeSpan.FromSeconds(5)));
        return builder;
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, exception.Message, exception);
            }
        }
    }
}
