using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ParPlatform.AppHost;

/// <summary>
/// Writes every resource's log to <c>&lt;state&gt;/logs/&lt;resource&gt;.log</c> (the dashboard shows them too) and,
/// once every resource is healthy, prints where to reach the platform and the dashboard's sign-in link, and records
/// the endpoints in <c>&lt;state&gt;/resources.json</c> (for the benchmarks).
/// </summary>
internal sealed class StartupReport(IServiceProvider services, string stateFolder, AppHostOptions options)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var loggers = services.GetRequiredService<ResourceLoggerService>();
        var resources = model.Resources.Where(Shown).ToList();
        foreach (var resource in resources)
        {
            _ = Task.Run(() => CopyLogsAsync(loggers, resource.Name, stoppingToken), stoppingToken);
        }
        _ = Task.Run(() => RecordStatesAsync(notifications, stoppingToken), stoppingToken);
        try
        {
            var waited = resources.Where(resource => !resource.Name.EndsWith("-init", StringComparison.Ordinal) && resource.Name != "aspire-dashboard")
                .Select(resource => notifications.WaitForResourceHealthyAsync(resource.Name, stoppingToken));
            await Task.WhenAll(waited);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Print(model);
    }

    private void Print(DistributedApplicationModel model)
    {
        var lines = new List<string> { "", $"ParPlatform is running ({_clock.Elapsed.TotalSeconds:0.0} s to all healthy). State folder: {stateFolder}", "" };
        var snapshot = new List<object>();
        lines.Add($"  {"RESOURCE",-20}{"ENDPOINTS"}");
        foreach (var resource in model.Resources.Where(resource => Shown(resource) && !resource.Name.EndsWith("-init", StringComparison.Ordinal) && resource.Name != "aspire-dashboard"))
        {
            var endpoints = resource is IResourceWithEndpoints withEndpoints
                ? withEndpoints.GetEndpoints().Where(endpoint => endpoint.IsAllocated).ToDictionary(endpoint => endpoint.EndpointName, endpoint => endpoint.Url)
                : [];
            var described = resource switch
            {
                ParPlatform.Hosting.PostgresDatabaseResource database => $"database {database.DatabaseName} on {database.Parent.Name}, role {database.DatabaseName}",
                _ => string.Join("  ", endpoints.Select(endpoint => $"{endpoint.Key} {endpoint.Value}")),
            };
            lines.Add($"  {resource.Name,-20}{described}");
            snapshot.Add(new { resource.Name, Endpoints = endpoints });
        }
        var gateway = model.Resources.OfType<ProjectResource>().Single(resource => resource.Name == ParPlatform.Contracts.ResourceNames.Gateway);
        lines.Add("");
        lines.Add($"  Web console:  {gateway.GetEndpoint("http").Url}/   (demo accounts: README, \"Identity, roles and signing in\"; password ParDemo#2026)");
        lines.Add($"  Gateway REST: {gateway.GetEndpoint("http").Url}/api/<service>/...   gRPC: {gateway.GetEndpoint("grpc").Url}");
        var configuration = services.GetRequiredService<IConfiguration>();
        if (!options.Throwaway && configuration["ASPNETCORE_URLS"] is { } dashboard)
        {
            var token = configuration["AppHost:BrowserToken"];
            lines.Add($"  Dashboard:    {dashboard.Split(';')[0]}/login?t={token}");
        }
        lines.Add("  Ctrl+C stops everything.");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        File.WriteAllText(Path.Combine(stateFolder, "resources.json"), JsonSerializer.Serialize(snapshot, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static bool Shown(IResource resource) =>
        resource is not ParameterResource && !resource.Name.EndsWith("-rebuilder", StringComparison.Ordinal);

    // Every state change of every resource, for whoever reads the state folder after a failed start.
    private async Task RecordStatesAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new StreamWriter(Path.Combine(stateFolder, "logs", "apphost-states.log"), append: true) { AutoFlush = true };
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                await file.WriteLineAsync($"{DateTime.UtcNow:HH:mm:ss.fff} {change.Resource.Name} {change.Snapshot.State?.Text} health={change.Snapshot.HealthStatus}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CopyLogsAsync(ResourceLoggerService loggers, string resource, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new StreamWriter(Path.Combine(stateFolder, "logs", $"{resource}.log"), append: true) { AutoFlush = true };
            await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
