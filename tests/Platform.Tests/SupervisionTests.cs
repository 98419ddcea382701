using System.Diagnostics;
using System.Net.Http.Json;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>What the AppHost promises an operator: stopping it (Ctrl+C) or killing it leaves no process behind, and
/// state survives a restart while <c>--fresh</c> wipes it.</summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task Stopping_the_platform_leaves_no_process_behind()
    {
        var folder = TestInfrastructure.NewRunFolder();
        var app = await AppHostRun.StartAsync(Path.Combine(folder, "apphost"));
        using (var http = new HttpClient { BaseAddress = app.GatewayHttp })
        {
            Assert.Equal("survey", (await http.GetFromJsonAsync<InfoDto>("/api/survey/info"))!.Service);
        }
        var dcp = ProcessTable.OrchestratorOf(app.StateFolder);
        Assert.NotEmpty(dcp);
        var processes = ProcessTable.WithDescendants(dcp);
        Assert.True(processes.Count >= 12, $"postgres, epmd, rabbitmq, seven services and the gateway run under DCP ({processes.Count})");

        await app.StopAsync();
        await app.DisposeAsync();

        await Eventually.TrueAsync(() => Task.FromResult(processes.All(pid => !ProcessTable.IsAlive(pid))), TimeSpan.FromSeconds(60),
            "every process of the platform and DCP itself to exit");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_killed_apphost_leaves_no_process_behind()
    {
        // The AppHost as ./run.sh starts it, in a process of its own, killed without a chance to clean up.
        var folder = TestInfrastructure.NewRunFolder();
        var state = Path.Combine(folder, "apphost");
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
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(state, "resources.json")) || apphost.HasExited),
                TimeSpan.FromMinutes(4), "the AppHost to report every resource healthy");
            Assert.False(apphost.HasExited, "the AppHost is running");
            var processes = ProcessTable.WithDescendants(ProcessTable.OrchestratorOf(state));
            Assert.True(processes.Count >= 12, $"the platform runs under DCP ({processes.Count})");

            apphost.Kill(entireProcessTree: false); // SIGKILL to the AppHost alone: DCP notices and stops the rest

            await Eventually.TrueAsync(() => Task.FromResult(processes.All(pid => !ProcessTable.IsAlive(pid))), TimeSpan.FromSeconds(90),
                "DCP to stop every resource of the killed AppHost and exit");
        }
        finally
        {
            if (!apphost.HasExited)
            {
                apphost.Kill(entireProcessTree: true);
            }
        }
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Starting_again_reuses_the_data_and_fresh_wipes_it()
    {
        var folder = TestInfrastructure.NewRunFolder();
        var state = Path.Combine(folder, "apphost");

        Guid pingId;
        await using (var first = await AppHostRun.StartAsync(state))
        {
            using var http = await Gateway.SignInAsync(first.GatewayHttp, "qn.quantri");
            var sent = await http.PostAsync("/api/criteria/diagnostics/pings", null);
            pingId = (await sent.Content.ReadFromJsonAsync<PingDto>())!.PingId;
            await Eventually.TrueAsync(async () => (await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode,
                what: "the ping to be recorded");
        }

        await using (var second = await AppHostRun.StartAsync(state))
        {
            using var http = await Gateway.SignInAsync(second.GatewayHttp, "qn.quantri");
            Assert.True((await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode, "data survives a restart");
        }

        await using (var fresh = await AppHostRun.StartAsync(state, fresh: true))
        {
            using var http = await Gateway.SignInAsync(fresh.GatewayHttp, "qn.quantri");
            Assert.False((await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode, "--fresh wipes the data");
        }
        Directory.Delete(folder, recursive: true);
    }

    private sealed record InfoDto(string Service, string Host);

    private sealed record PingDto(Guid PingId);
}
