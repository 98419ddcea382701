using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>What the AppHost promises an operator: killing it or stopping it (Ctrl+C) leaves no process behind, the
/// data survives a restart, even after a kill, and <c>--fresh</c> wipes it. One platform's life in three starts: each
/// start costs a minute or more of a 2-core machine, so the promises are checked along one sequence.</summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task A_killed_platform_leaves_no_process_behind_keeps_its_data_stops_cleanly_and_fresh_wipes_it()
    {
        var folder = TestInfrastructure.NewRunFolder();
        var state = Path.Combine(folder, "apphost");

        // 1. The AppHost as ./run.sh starts it, in a process of its own; a ping goes through every service; then the
        //    AppHost alone is killed (SIGKILL, no chance to clean up): its orchestrator notices and stops the rest.
        var pingId = await RunAndKillAsync(state);

        // 2. Started again on the same state: what the killed platform committed is there.
        var second = await AppHostRun.StartAsync(state);
        List<int> processes;
        try
        {
            using var http = await Gateway.SignInAsync(second.GatewayHttp, "qn.quantri");
            Assert.True((await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode, "data survives a killed AppHost and a restart");
            Assert.Equal("survey", (await http.GetFromJsonAsync<InfoDto>("/api/survey/info"))!.Service);
            processes = ProcessTable.WithDescendants(ProcessTable.OrchestratorOf(second.StateFolder));
            Assert.True(processes.Count >= 12, $"postgres, epmd, rabbitmq, seven services and the gateway run under DCP ({processes.Count})");
            //    Stopping it as Ctrl+C does: every process of the platform and DCP itself exit.
            await second.StopAsync();
        }
        finally
        {
            await second.DisposeAsync();
        }
        await Eventually.TrueAsync(() => Task.FromResult(processes.All(pid => !ProcessTable.IsAlive(pid))), TimeSpan.FromSeconds(60),
            "every process of the stopped platform and DCP itself to exit");

        // 3. --fresh: the data is gone.
        await using (var fresh = await AppHostRun.StartAsync(state, fresh: true))
        {
            using var http = await Gateway.SignInAsync(fresh.GatewayHttp, "qn.quantri");
            Assert.False((await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode, "--fresh wipes the data");
        }
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<Guid> RunAndKillAsync(string state)
    {
        var program = Path.Combine(AppHostRun.RepositoryRoot, "AppHost", "ParPlatform.AppHost", "bin", AppHostRun.BuildConfiguration, "net10.0", "ParPlatform.AppHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { program, "--state-dir", state, "--throwaway", "--gateway-http-port", "0", "--gateway-grpc-port", "0" })
        {
            start.ArgumentList.Add(argument);
        }
        using var apphost = Process.Start(start)!;
        apphost.OutputDataReceived += (_, _) => { };
        apphost.ErrorDataReceived += (_, _) => { };
        apphost.BeginOutputReadLine();
        apphost.BeginErrorReadLine();
        try
        {
            var report = Path.Combine(state, "resources.json");
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(report) || apphost.HasExited),
                TimeSpan.FromMinutes(4), "the AppHost to report every resource healthy");
            Assert.False(apphost.HasExited, "the AppHost is running");
            var processes = ProcessTable.WithDescendants(ProcessTable.OrchestratorOf(state));
            Assert.True(processes.Count >= 12, $"the platform runs under DCP ({processes.Count})");

            Guid pingId;
            using (var http = await Gateway.SignInAsync(GatewayOf(report), "qn.quantri"))
            {
                var sent = await http.PostAsync("/api/criteria/diagnostics/pings", null);
                pingId = (await sent.Content.ReadFromJsonAsync<PingDto>())!.PingId;
                await Eventually.TrueAsync(async () => (await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode,
                    what: "the ping to be recorded");
            }

            apphost.Kill(entireProcessTree: false); // SIGKILL to the AppHost alone: DCP notices and stops the rest
            await Eventually.TrueAsync(() => Task.FromResult(processes.All(pid => !ProcessTable.IsAlive(pid))), TimeSpan.FromSeconds(90),
                "DCP to stop every resource of the killed AppHost and exit");
            return pingId;
        }
        finally
        {
            if (!apphost.HasExited)
            {
                apphost.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The gateway's address from the start-up report the AppHost writes once every resource is healthy.</summary>
    private static Uri GatewayOf(string report)
    {
        using var resources = JsonDocument.Parse(File.ReadAllText(report));
        var gateway = resources.RootElement.EnumerateArray().Single(resource => resource.GetProperty("Name").GetString() == ParPlatform.Contracts.ResourceNames.Gateway);
        return new Uri(gateway.GetProperty("Endpoints").GetProperty("http").GetString()!);
    }

    private sealed record InfoDto(string Service, string Host);

    private sealed record PingDto(Guid PingId);
}
