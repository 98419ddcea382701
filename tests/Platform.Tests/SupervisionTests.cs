using System.Net.Http.Json;
using ParPlatform.Hosting.Processes;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>What the AppHost promises an operator: crashed services come back, Ctrl+C leaves nothing behind,
/// state survives a restart and <c>--fresh</c> wipes it.</summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task A_killed_service_is_restarted_and_ctrl_c_leaves_no_process_behind()
    {
        var folder = TestInfrastructure.NewRunFolder();
        var registry = new ProcessRegistry(folder);
        registry.StartWatchdog();
        var app = await AppHostRun.StartAsync(registry, Path.Combine(folder, "apphost"));
        using var http = new HttpClient { BaseAddress = app.GatewayHttp };

        var before = await http.GetFromJsonAsync<InfoDto>("/api/survey/info");
        var pid = app.ResourcePid("survey");
        Posix.SignalGroup(pid, Posix.SIGKILL);

        var after = await Eventually.GetAsync(async () =>
        {
            var info = await http.GetFromJsonAsync<InfoDto>("/api/survey/info");
            return info!.Host != before!.Host ? info : null;
        }, TimeSpan.FromSeconds(60), "the AppHost to restart the killed survey service");
        Assert.NotEqual(before!.Host, after.Host);

        var groups = app.RecordedProcessGroups();
        Assert.True(groups.Count >= 8, $"postgres, epmd, rabbitmq, six services and the gateway are supervised ({groups.Count})");
        var exitCode = await app.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.All(groups, group => Assert.False(Posix.GroupIsAlive(group), $"process group {group} outlived the AppHost"));
        Assert.Empty(app.RecordedProcessGroups());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Starting_again_reuses_the_data_and_fresh_wipes_it()
    {
        var folder = TestInfrastructure.NewRunFolder();
        var registry = new ProcessRegistry(folder);
        registry.StartWatchdog();
        var state = Path.Combine(folder, "apphost");

        Guid pingId;
        await using (var first = await AppHostRun.StartAsync(registry, state))
        {
            using var http = await Gateway.SignInAsync(first.GatewayHttp, "qn.quantri");
            var sent = await http.PostAsync("/api/criteria/diagnostics/pings", null);
            pingId = (await sent.Content.ReadFromJsonAsync<PingDto>())!.PingId;
            await Eventually.TrueAsync(async () => (await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode,
                what: "the ping to be recorded");
        }

        await using (var second = await AppHostRun.StartAsync(registry, state))
        {
            using var http = await Gateway.SignInAsync(second.GatewayHttp, "qn.quantri");
            Assert.True((await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode, "data survives a restart");
        }

        await using (var fresh = await AppHostRun.StartAsync(registry, state, fresh: true))
        {
            using var http = await Gateway.SignInAsync(fresh.GatewayHttp, "qn.quantri");
            Assert.False((await http.GetAsync($"/api/ranking/diagnostics/pings/{pingId}")).IsSuccessStatusCode, "--fresh wipes the data");
        }
        Directory.Delete(folder, recursive: true);
    }

    private sealed record InfoDto(string Service, string Host);

    private sealed record PingDto(Guid PingId);
}
