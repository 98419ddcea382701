using System.Diagnostics;

namespace ParPlatform.Hosting.Processes;

/// <summary>
/// One supervised program in its own session and process group (launched through <c>setsid</c>, which execs in place,
/// so the pid is also the group id): stopping signals the whole group, so no child outlives it. Every output line is
/// passed to <see cref="_log"/> with the resource name.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly ProcessRegistry _registry;
    private readonly Action<string, string> _log;

    private ManagedProcess(Process process, ProcessSpec spec, ProcessRegistry registry, Action<string, string> log)
    {
        _process = process;
        _spec = spec;
        _registry = registry;
        _log = log;
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Name => _spec.Name;

    public static ManagedProcess Start(ProcessSpec spec, ProcessRegistry registry, Action<string, string> log)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        if (spec.RunAsUser is { } user)
        {
            foreach (var argument in new[] { "setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "--" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        start.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in spec.Environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) log(spec.Name, line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) log(spec.Name, line.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        registry.Register(spec.Name, process.Id);
        return new ManagedProcess(process, spec, registry, log);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Asks the group to stop with the spec's signal, and kills it when the timeout passes.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            Posix.SignalGroup(_process.Id, _spec.StopSignal);
            using var timeout = new CancellationTokenSource(_spec.StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _log(_spec.Name, $"did not stop within {_spec.StopTimeout.TotalSeconds:0} s; killing");
            }
        }
        // Children that outlived the leader, if any, go with the group.
        Posix.SignalGroup(_process.Id, Posix.SIGKILL);
        await _process.WaitForExitAsync();
        _registry.Unregister(_spec.Name);
    }

    /// <summary>Kills the group at once (tests use it to simulate a crash).</summary>
    public void Kill() => Posix.SignalGroup(_process.Id, Posix.SIGKILL);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
