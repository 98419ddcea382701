using System.Diagnostics;
using Npgsql;
using ParPlatform.Hosting.Infrastructure;
using ParPlatform.Hosting.Processes;
using ParPlatform.Testing;

namespace ParPlatform.Platform.Tests;

/// <summary>The test fixture's own promises: real servers, and nothing left behind by a run that died.</summary>
public sealed class InfrastructureTests
{
    [Fact]
    public async Task The_fixture_runs_a_real_postgresql_and_a_real_rabbitmq()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        await using var connection = new NpgsqlConnection(await infrastructure.CreateDatabaseAsync("fixture"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version()", connection);
        Assert.StartsWith("PostgreSQL 15", (string)(await command.ExecuteScalarAsync())!);
        Assert.True(await RabbitMqServer.AnswersAmqpAsync(infrastructure.RabbitMq.Port, CancellationToken.None));
    }

    [Fact]
    public async Task Processes_left_by_a_dead_run_are_killed_and_its_folder_removed_on_the_next_start()
    {
        // A run folder whose owner pid is dead, with a process group still running in it.
        var deadOwner = Process.Start("true")!;
        await deadOwner.WaitForExitAsync();
        var folder = Path.Combine(TestInfrastructure.Root, $"run-{deadOwner.Id}-stale");
        var pids = Path.Combine(folder, "pids");
        Directory.CreateDirectory(pids);
        var orphan = Process.Start("setsid", "sleep 300")!;
        await Eventually.TrueAsync(() => Task.FromResult(Posix.GroupIsAlive(orphan.Id)));
        await File.WriteAllTextAsync(Path.Combine(pids, "orphan.pid"), $"{orphan.Id} {Posix.StartTicks(orphan.Id)} {deadOwner.Id}");

        TestInfrastructure.RemoveStaleRuns();

        await orphan.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(Directory.Exists(folder));
    }
}
