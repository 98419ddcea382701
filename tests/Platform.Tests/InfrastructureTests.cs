using System.Diagnostics;
using Npgsql;
using ParPlatform.Hosting;
using ParPlatform.Testing;
using Xunit.Abstractions;

namespace ParPlatform.Platform.Tests;

/// <summary>
/// The service-level test fixture's own promises (<see cref="TestInfrastructure"/>): real servers, run by Aspire's
/// orchestrator, nothing left running when the test host is killed, and stale run folders removed safely while every
/// test assembly starts at once.
/// </summary>
public sealed class InfrastructureTests(ITestOutputHelper output)
{
    public const string HoldVariable = "PAR_HOLD_TEST_INFRASTRUCTURE";

    [Fact]
    public async Task The_fixture_runs_a_real_postgresql_and_a_real_rabbitmq()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        output.WriteLine($"PostgreSQL and RabbitMQ healthy {infrastructure.StartUp.TotalSeconds:0.0} s after the app model was built");
        await using var connection = new NpgsqlConnection(await infrastructure.CreateDatabaseAsync("fixture"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version(), current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.StartsWith("PostgreSQL 15", reader.GetString(0));
        Assert.StartsWith("fixture_", reader.GetString(1)); // the database's own role, as a service gets it ...
        Assert.False(reader.GetBoolean(2)); // ... and not a superuser
        Assert.True(await RabbitMqBuilderExtensions.AnswersAmqpAsync(new Uri(infrastructure.MessagingConnectionString).Port, CancellationToken.None));
    }

    [Fact]
    public async Task A_killed_test_host_leaves_no_process_behind_and_the_next_start_removes_its_folder()
    {
        // A test host of its own (this assembly, running only the holder below) starts the infrastructure and waits.
        var report = Path.Combine(Path.GetTempPath(), $"par-hold-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "test", typeof(InfrastructureTests).Assembly.Location, "--filter", $"FullyQualifiedName~{nameof(Holds_the_infrastructure_until_killed)}" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[HoldVariable] = report;
        using var runner = Process.Start(start)!;
        runner.OutputDataReceived += (_, _) => { };
        runner.ErrorDataReceived += (_, _) => { };
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(report) || runner.HasExited), TimeSpan.FromMinutes(4),
                "the other test host to report its infrastructure running");
            Assert.False(runner.HasExited, "the other test host runs");
            var held = File.ReadAllText(report).Split('\n');
            var (testHost, folder) = (int.Parse(held[0]), held[1]);
            var processes = ProcessTable.WithDescendants(ProcessTable.OrchestratorOf(folder));
            Assert.True(processes.Count >= 5, $"DCP, PostgreSQL, epmd and RabbitMQ run for the other test host ({processes.Count})");

            Process.GetProcessById(testHost).Kill(); // SIGKILL: no exit handler runs

            await Eventually.TrueAsync(() => Task.FromResult(processes.All(pid => !ProcessTable.IsAlive(pid))), TimeSpan.FromSeconds(90),
                "DCP to stop PostgreSQL and RabbitMQ of the killed test host and exit");
            TestInfrastructure.RemoveStaleRuns();
            Assert.False(Directory.Exists(folder), "the dead test host's run folder is removed");
        }
        finally
        {
            if (!runner.HasExited)
            {
                runner.Kill(entireProcessTree: true);
            }
            File.Delete(report);
        }
    }

    /// <summary>Run only by the test above, in a test host of its own.</summary>
    [HeldInfrastructureFact]
    public async Task Holds_the_infrastructure_until_killed()
    {
        var infrastructure = await TestInfrastructure.StartAsync();
        var report = Environment.GetEnvironmentVariable(HoldVariable)!;
        await File.WriteAllTextAsync(report + ".tmp", $"{Environment.ProcessId}\n{infrastructure.Folder}");
        File.Move(report + ".tmp", report);
        await Task.Delay(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Test_hosts_sweeping_the_same_stale_run_folders_at_once_neither_fail_nor_leave_them()
    {
        // The CI failure: parallel test assemblies clearing the same dead run's folder at the same moment.
        var deadOwner = Process.Start("true")!;
        await deadOwner.WaitForExitAsync();
        var folders = Enumerable.Range(0, 8).Select(index => Path.Combine(TestInfrastructure.Root, $"run-{deadOwner.Id}-stale{index}")).ToList();
        foreach (var folder in folders)
        {
            foreach (var sub in new[] { "postgres/data/base", "messaging/data", "logs", "scripts" })
            {
                Directory.CreateDirectory(Path.Combine(folder, sub));
                for (var file = 0; file < 50; file++)
                {
                    await File.WriteAllTextAsync(Path.Combine(folder, sub, $"{file}.dat"), "x");
                }
            }
        }
        var mine = TestInfrastructure.NewRunFolder();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(TestInfrastructure.RemoveStaleRuns)));

        Assert.All(folders, folder => Assert.False(Directory.Exists(folder), folder));
        Assert.True(Directory.Exists(mine), "a live test host's folder stays");
        Directory.Delete(mine);
    }
}

/// <summary>A fact that runs only in the test host that <see cref="InfrastructureTests"/> starts to kill.</summary>
public sealed class HeldInfrastructureFactAttribute : FactAttribute
{
    public HeldInfrastructureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(InfrastructureTests.HoldVariable) is null)
        {
            Skip = "runs only inside the killed-test-host test";
        }
    }
}
