using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ParPlatform.Hosting;

/// <summary>
/// What the PostgreSQL resources need beyond starting a process: where the binaries and the cluster live, and each
/// service's database with its own login role (owner of its database and tables, not a superuser, NOBYPASSRLS, no
/// CONNECT on any other database).
/// </summary>
public static class PostgresCluster
{
    public const string Superuser = "postgres";

    /// <summary>A file in a state folder naming the cluster folder kept elsewhere, so that <c>--fresh</c> wipes it too.</summary>
    public const string RelocationMarker = "relocated-to";

    public static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "postgres")) && File.Exists(Path.Combine(dir, "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new SetupMissingException("PostgreSQL (/usr/lib/postgresql/<version>/bin)");
    }

    /// <summary>
    /// Where the cluster of a state folder lives: the folder itself, or, when the postgres user cannot reach it (e.g. a
    /// checkout under /root, mode 700), a folder of its own under the package's /var/lib/postgresql, recorded in a
    /// marker file.
    /// </summary>
    public static string ClusterFolder(string stateFolder)
    {
        if (!Environment.IsPrivilegedProcess || Reachable(Path.GetDirectoryName(Path.GetFullPath(stateFolder))!))
        {
            return stateFolder;
        }
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(stateFolder))))[..12];
        var folder = Path.Combine("/var/lib/postgresql/parplatform", key.ToLowerInvariant());
        Directory.CreateDirectory(stateFolder);
        File.WriteAllText(Path.Combine(stateFolder, RelocationMarker), folder);
        return folder;
    }

    // Every existing ancestor must be searchable by others (the postgres user is neither owner nor in the group).
    private static bool Reachable(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && !dir.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }
        return true;
    }

    public static string ServiceRole(string database) => database;

    /// <summary>Derived from the superuser's secret, so a restart finds the same password without storing another one.</summary>
    public static string ServicePassword(string superuserPassword, string database) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(superuserPassword), Encoding.UTF8.GetBytes(database)))[..32]
            .ToLowerInvariant();

    /// <summary>
    /// Creates the database and its login role if missing (Aspire's AddDatabase), and makes the role its owner. A data
    /// folder from a version whose services connected as the superuser gets its tables handed to the role as well.
    /// </summary>
    /// <param name="superuser">The superuser's connection string to a given database.</param>
    public static async Task CreateDatabaseAsync(
        Func<string, string> superuser, string servicePassword, string database, CancellationToken cancellationToken)
    {
        var role = ServiceRole(database);
        await using (var connection = new NpgsqlConnection(superuser("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand(
                "SELECT (SELECT 1 FROM pg_database WHERE datname = @name), (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection);
            exists.Parameters.AddWithValue("name", database);
            exists.Parameters.AddWithValue("role", role);
            bool databaseExists, roleExists;
            await using (var reader = await exists.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                databaseExists = !reader.IsDBNull(0);
                roleExists = !reader.IsDBNull(1);
            }
            var quotedRole = Quote(role);
            var quotedDatabase = Quote(database);
            // DDL takes no parameters; the password is hex and the names are quoted identifiers.
            await ExecuteAsync(connection, roleExists
                ? $"ALTER ROLE {quotedRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{servicePassword}'"
                : $"CREATE ROLE {quotedRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{servicePassword}'",
                cancellationToken);
            await ExecuteAsync(connection, databaseExists
                ? $"ALTER DATABASE {quotedDatabase} OWNER TO {quotedRole}"
                : $"CREATE DATABASE {quotedDatabase} OWNER {quotedRole}",
                cancellationToken);
            await ExecuteAsync(connection, $"REVOKE ALL ON DATABASE {quotedDatabase} FROM PUBLIC", cancellationToken);
        }
        await using var inDatabase = new NpgsqlConnection(superuser(database));
        await inDatabase.OpenAsync(cancellationToken);
        await ExecuteAsync(inDatabase, $$"""
            DO $$
            DECLARE item record;
            BEGIN
                FOR item IN
                    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                      AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = {{Literal(role)}})
                LOOP
                    EXECUTE format('ALTER %s public.%I OWNER TO %I',
                        CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                        item.relname, {{Literal(role)}});
                END LOOP;
            END $$
            """, cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
