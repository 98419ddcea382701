using System.Security.Cryptography;
using Npgsql;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Hosting.Infrastructure;

/// <summary>
/// A PostgreSQL server from the Debian packages, as a local process: its own data folder (initdb on first use,
/// reused afterwards), loopback only, a generated superuser password kept beside the data, and run as the
/// <c>postgres</c> user when the caller is root (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresServer(string stateFolder, int port, Action<string, string> log, bool throwaway = false)
{
    public const string Superuser = "postgres";
    public const string RelocationMarker = "relocated-to";
    private ManagedProcess? _process;
    private string folder = stateFolder;

    public int Port => port;
    public string DataFolder => Path.Combine(folder, "data");
    public string Password { get; private set; } = "";

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

    /// <summary>The superuser's connection to a database: for creating databases and roles, and for tests' own checks.</summary>
    public string ConnectionString(string database) => Connection(database, Superuser, Password);

    /// <summary>
    /// What a service is handed: the database's own login role, which owns the database and its tables but is not a
    /// superuser and cannot bypass row-level security, and may connect to no other service's database.
    /// </summary>
    public string ServiceConnectionString(string database) => Connection(database, ServiceRole(database), ServicePassword(database));

    private string Connection(string database, string user, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Database = database,
        Username = user,
        Password = password,
    }.ConnectionString;

    public static string ServiceRole(string database) => database;

    // Derived from the superuser's secret, so a restart finds the same password without storing another one.
    private string ServicePassword(string database) => ServicePassword(Password, database);

    public static string ServicePassword(string superuserPassword, string database) =>
        Convert.ToHexString(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(superuserPassword), System.Text.Encoding.UTF8.GetBytes(database)))[..32]
            .ToLowerInvariant();

    public ManagedProcess? Process => _process;

    /// <summary>
    /// Where the cluster of a state folder lives: the folder itself, or, when the postgres user cannot reach it (e.g. a
    /// checkout under /root, mode 700), a folder of its own under the package's /var/lib/postgresql, recorded in a
    /// marker file so that --fresh wipes it too.
    /// </summary>
    public static string ClusterFolder(string stateFolder)
    {
        if (!Posix.IsRoot || Reachable(Path.GetDirectoryName(Path.GetFullPath(stateFolder))!))
        {
            return stateFolder;
        }
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(stateFolder))))[..12];
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

    public async Task StartAsync(ProcessRegistry registry, CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        var runAs = Posix.IsRoot ? "postgres" : null;
        if (runAs is not null && !await CanTraverseAsync(runAs, Path.GetDirectoryName(Path.GetFullPath(folder))!, cancellationToken))
        {
            // e.g. a checkout under /root (mode 700): the postgres user cannot reach it, so the cluster lives in the
            // package's own folder instead, one per state folder.
            var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..12];
            var unreachable = folder;
            folder = Path.Combine("/var/lib/postgresql/parplatform", key.ToLowerInvariant());
            log("postgres", $"the postgres user cannot reach {unreachable}; keeping the cluster in {folder}");
            Directory.CreateDirectory(unreachable);
            await File.WriteAllTextAsync(Path.Combine(unreachable, RelocationMarker), folder, cancellationToken); // --fresh wipes it too
        }
        Directory.CreateDirectory(folder);
        var passwordFile = Path.Combine(folder, "password");
        if (!File.Exists(passwordFile))
        {
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), cancellationToken);
        }
        Password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        var socketFolder = Path.Combine(folder, "run");
        Directory.CreateDirectory(socketFolder);

        if (!File.Exists(Path.Combine(DataFolder, "PG_VERSION")))
        {
            if (Directory.Exists(DataFolder))
            {
                Directory.Delete(DataFolder, recursive: true); // a half-done initdb from an interrupted first run
            }
            Directory.CreateDirectory(DataFolder);
            var passwordForInitdb = Path.Combine(folder, "initdb-password");
            await File.WriteAllTextAsync(passwordForInitdb, Password, cancellationToken);
            if (runAs is not null)
            {
                await ProcessRunner.RunAsync("chown", ["-R", $"{runAs}:{runAs}", folder], cancellationToken: cancellationToken);
            }
            log("postgres", "initdb (first run)");
            await ProcessRunner.RunAsync(Path.Combine(bin, "initdb"),
                ["-D", DataFolder, "-U", Superuser, "--pwfile", passwordForInitdb, "-E", "UTF8", "--locale=C.UTF-8",
                 "--auth-host=scram-sha-256", "--auth-local=peer", "--no-instructions"],
                runAs, cancellationToken: cancellationToken);
            File.Delete(passwordForInitdb);
        }
        else if (runAs is not null)
        {
            await ProcessRunner.RunAsync("chown", ["-R", $"{runAs}:{runAs}", folder], cancellationToken: cancellationToken);
        }

        List<string> arguments =
        [
            "-D", DataFolder, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={socketFolder}", "-c", "max_connections=400",
            "-c", "shared_buffers=256MB", "-c", "log_min_messages=warning",
        ];
        if (throwaway)
        {
            // Test databases are thrown away: durability buys nothing there and costs seconds.
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        _process = ManagedProcess.Start(
            new ProcessSpec("postgres", Path.Combine(bin, "postgres"), arguments)
            {
                RunAsUser = runAs,
                StopSignal = Posix.SIGINT,
                StopTimeout = TimeSpan.FromSeconds(30),
                WorkingDirectory = folder,
            },
            registry, log);
        await WaitUntilReadyAsync(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"PostgreSQL exited with code {_process.ExitCode} while starting; see its log lines above.");
            }
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Creates the database and its login role if missing (Aspire's AddDatabase), and makes the role its owner. A data
    /// folder from a version whose services connected as the superuser gets its tables handed to the role as well.
    /// </summary>
    public Task CreateDatabaseAsync(string database, CancellationToken cancellationToken) =>
        CreateDatabaseAsync(ConnectionString, ServicePassword(database), database, cancellationToken);

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

    private static async Task<bool> CanTraverseAsync(string user, string directory, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessRunner.RunAsync("test", ["-x", directory], user, cancellationToken: cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;
}
