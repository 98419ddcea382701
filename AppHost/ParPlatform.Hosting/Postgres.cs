using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ParPlatform.Hosting;

/// <summary>
/// PostgreSQL from the Debian packages as an executable resource (Aspire's <c>AddPostgres</c> needs a container
/// engine): its own cluster folder, initdb once, loopback only, a generated superuser password kept beside the data.
/// </summary>
public sealed class PostgresServerResource(string name, string workingDirectory, ParameterResource password, string superuserPassword)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    /// <summary>The secret the service roles' passwords are derived from (known when the model is built).</summary>
    public string SuperuserPassword { get; } = superuserPassword;

    public const string EndpointName = "tcp";

    public ParameterResource Password { get; } = password;
    public EndpointReference Endpoint => new(this, EndpointName);

    /// <summary>The superuser's connection (the AppHost's own work and tests' checks; never handed to a service).</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.Port)};Username={PostgresCluster.Superuser};Password={Password}");
}

/// <summary>
/// A database of the server and its own login role (owner of the database, not a superuser, NOBYPASSRLS, no CONNECT
/// on other databases): what its service is handed as <c>ConnectionStrings__&lt;name&gt;</c>. Created, or brought
/// up to date, by its health check once the server accepts connections.
/// </summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent, ParameterResource password)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString
{
    public PostgresServerResource Parent { get; } = parent;
    public string DatabaseName { get; } = databaseName;
    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Parent.Endpoint.Property(EndpointProperty.Port)};Database={DatabaseName};Username={PostgresCluster.ServiceRole(DatabaseName)};Password={Password}");
}

public static class PostgresBuilderExtensions
{
    /// <param name="throwaway">Test clusters: no fsync (durability buys nothing there and costs seconds).</param>
    public static IResourceBuilder<PostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string stateFolder, bool throwaway)
    {
        var bin = PostgresCluster.FindBinaries();
        var folder = PostgresCluster.ClusterFolder(Path.Combine(stateFolder, name));
        Directory.CreateDirectory(folder);
        var passwordFile = Path.Combine(folder, "password");
        if (!File.Exists(passwordFile))
        {
            File.WriteAllText(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        }
        var password = File.ReadAllText(passwordFile).Trim();
        var runAs = Environment.UserName == "root" ? "postgres" : "";
        var scripts = Scripts.WriteTo(Path.Combine(stateFolder, "scripts"));

        // Run to completion before the server: the cluster's folder and, on first use, initdb.
        var init = builder.AddExecutable($"{name}-init", "bash", folder, Path.Combine(scripts, "postgres-init.sh"), bin, folder, runAs);

        List<string> arguments =
        [
            Path.Combine(scripts, "postgres-run.sh"), runAs, Path.Combine(bin, "postgres"),
            "-D", Path.Combine(folder, "data"), "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={Path.Combine(folder, "run")}", "-c", "max_connections=400",
            "-c", "shared_buffers=256MB", "-c", "log_min_messages=warning",
        ];
        if (throwaway)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        var server = new PostgresServerResource(name, folder, builder.AddParameter($"{name}-password", password, secret: true).Resource, password);
        var healthCheck = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            await using var connection = new NpgsqlConnection(await server.ConnectionStringExpression.GetValueAsync(cancellationToken));
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        });
        return builder.AddResource(server)
            .WithArgs([.. arguments])
            .WithEndpoint(name: PostgresServerResource.EndpointName, env: "PGPORT", isProxied: false) // postgres reads PGPORT
            .WaitForCompletion(init)
            .WithHealthCheck(healthCheck);
    }

    /// <summary>A database with its own login role (Aspire's <c>AddDatabase</c>).</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> server, string name, string databaseName)
    {
        var builder = server.ApplicationBuilder;
        var superuserPassword = server.Resource.SuperuserPassword;
        var servicePassword = PostgresCluster.ServicePassword(superuserPassword, databaseName);
        var database = new PostgresDatabaseResource(name, databaseName, server.Resource,
            builder.AddParameter($"{name}-password", servicePassword, secret: true).Resource);
        var created = false;
        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            if (!created)
            {
                var superuser = await server.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
                await PostgresCluster.CreateDatabaseAsync(
                    db => new NpgsqlConnectionStringBuilder(superuser) { Database = db }.ConnectionString,
                    servicePassword, databaseName, cancellationToken);
                created = true;
            }
            await using var connection = new NpgsqlConnection(await database.ConnectionStringExpression.GetValueAsync(cancellationToken));
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        });
        // A database has no process of its own: it is "Running" once its server is ready, and healthy once it exists
        // with its role (its health check creates them).
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (ready, cancellationToken) =>
            await ready.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            }));
        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", databaseName), new("postgres.role", PostgresCluster.ServiceRole(databaseName))],
            })
            .WithHealthCheck(healthCheck);
    }
}
