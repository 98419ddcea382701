namespace ParPlatform.AppHost;

/// <summary>Where the platform keeps its data between runs (<c>.parplatform/</c> in the repository by default).</summary>
internal static class StateFolder
{
    public static string Prepare(AppHostOptions options)
    {
        var folder = Path.GetFullPath(options.StateFolder ?? Path.Combine(RepositoryRoot(), ".parplatform"));
        if (options.Fresh && Directory.Exists(folder))
        {
            Console.WriteLine($"--fresh: wiping {folder}");
            foreach (var marker in Directory.GetFiles(folder, ParPlatform.Hosting.PostgresCluster.RelocationMarker, SearchOption.AllDirectories))
            {
                var relocated = File.ReadAllText(marker).Trim();
                if (Directory.Exists(relocated))
                {
                    Directory.Delete(relocated, recursive: true);
                }
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        return folder;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ParPlatform.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}

/// <summary>The Aspire dashboard on loopback only: its UI, its OTLP intake and the AppHost's resource service.</summary>
internal static class Dashboard
{
    public static void ConfigureLoopback(AppHostOptions options)
    {
        Default("ASPNETCORE_URLS", $"http://127.0.0.1:{Ports.OrFree(options.DashboardPort, 18888) ?? Ports.Free()}");
        Default("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", $"http://127.0.0.1:{Ports.OrFree(null, 18889) ?? Ports.Free()}");
        Default("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", $"http://127.0.0.1:{Ports.Free()}");
        Default("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true"); // plain http on loopback: no development certificate here
        Default("DOTNET_ENVIRONMENT", "Development");
        Default("ASPIRE_DASHBOARD_TELEMETRY_OPTOUT", "1");
    }

    /// <summary>Nothing may call outside loopback: no version check against the package feed, no telemetry.</summary>
    public static void StayOffline()
    {
        Default("ASPIRE_VERSION_CHECK_DISABLED", "true");
        Default("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
        Default("DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE", "1");
        Default("DOTNET_NOLOGO", "1");
    }

    private static void Default(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
