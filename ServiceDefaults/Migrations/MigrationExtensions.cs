using System.Reflection;
using EvolveDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.ServiceDefaults.Migrations;

/// <summary>What the migrator applied, for the service's info endpoints.</summary>
public sealed class MigrationState
{
    public int AppliedMigrations { get; internal set; }
    public string Database { get; internal set; } = "";
}

public static class MigrationExtensions
{
    /// <summary>
    /// Applies, before the server starts listening, the platform's own tables (inbox, outbox) and then the service's
    /// numbered SQL files embedded from its <c>Migrations/</c> folder (<c>V1__name.sql</c>, <c>V2__name.sql</c>...).
    /// Evolve takes a PostgreSQL advisory lock, so many replicas may start at once.
    /// </summary>
    public static IHostApplicationBuilder AddSqlMigrations(this IHostApplicationBuilder builder, Assembly serviceAssembly)
    {
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService(services => new MigrationRunner(
            services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<MigrationState>(),
            services.GetRequiredService<ILogger<MigrationRunner>>(),
            serviceAssembly));
        return builder;
    }

    private sealed class MigrationRunner(
        NpgsqlDataSource dataSource, MigrationState state, ILogger<MigrationRunner> logger, Assembly serviceAssembly)
        : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            // A migration that moves data must see every tenant's rows through the row-level security policies.
            await TenantDataSource.ScopeAsync(connection, TenantScope.AllTenants, cancellationToken);
            var platform = Migrate(connection, typeof(MigrationExtensions).Assembly, "platform_changelog");
            var service = Migrate(connection, serviceAssembly, "changelog");
            state.AppliedMigrations = platform + service;
            state.Database = connection.Database;
        }

        private int Migrate(NpgsqlConnection connection, Assembly assembly, string changelogTable)
        {
            var prefix = $"{assembly.GetName().Name}.Migrations";
            var scripts = assembly.GetManifestResourceNames()
                .Count(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal));
            if (scripts == 0)
            {
                return 0;
            }

            var evolve = new Evolve(connection, message => logger.LogDebug("{Migration}", message), EvolveDb.Dialect.DBMS.PostgreSQL)
            {
                EmbeddedResourceAssemblies = [assembly],
                EmbeddedResourceFilters = [prefix],
                MetadataTableName = changelogTable,
                IsEraseDisabled = true,
                EnableClusterMode = true,
                CommandTimeout = 300,
            };
            evolve.Migrate();
            // Migrate either applies every embedded script or throws, so afterwards all of them are in the database.
            return scripts;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
