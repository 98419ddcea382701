using System.Diagnostics;

namespace ParPlatform.Hosting.Processes;

/// <summary>
/// Records every process group an orchestrator starts as a file under <c>{state}/pids</c>, so that a later run can
/// kill what a crashed or SIGKILLed run left behind; and starts a watchdog that does the same the moment this
/// process dies, however it dies.
/// </summary>
public sealed class ProcessRegistry
{
    private readonly string _folder;

    public ProcessRegistry(string stateFolder)
    {
        _folder = Path.Combine(stateFolder, "pids");
        Directory.CreateDirectory(_folder);
    }

    public string Folder => _folder;

    public void Register(string name, int processGroupId)
    {
        var ticks = Posix.StartTicks(processGroupId);
        File.WriteAllText(Path.Combine(_folder, $"{name}.pid"), $"{processGroupId} {ticks} {Environment.ProcessId}");
    }

    public void Unregister(string name) => File.Delete(Path.Combine(_folder, $"{name}.pid"));

    /// <summary>Kills the groups recorded by a previous owner that is no longer alive. Returns how many it killed.</summary>
    public static int KillStale(string stateFolder)
    {
        var folder = Path.Combine(stateFolder, "pids");
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var killed = 0;
        string[] files;
        try
        {
            files = Directory.GetFiles(folder, "*.pid");
        }
        catch (DirectoryNotFoundException)
        {
            return 0; // its watchdog or another test host removed it meanwhile
        }
        foreach (var file in files)
        {
            string record;
            try
            {
                record = File.ReadAllText(file);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // The dead owner's watchdog (or another test host cleaning up) removed it between listing and reading.
                continue;
            }
            var parts = record.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !int.TryParse(parts[0], out var group) || !int.TryParse(parts[2], out var owner))
            {
                DeleteIfPresent(file);
                continue;
            }
            if (owner != Environment.ProcessId && Posix.IsAlive(owner))
            {
                continue; // another live orchestrator owns it
            }
            if (Posix.GroupIsAlive(group) && Posix.StartTicks(group)?.ToString() == parts[1])
            {
                Posix.SignalGroup(group, Posix.SIGKILL);
                killed++;
            }
            DeleteIfPresent(file);
        }
        return killed;
    }

    private static void DeleteIfPresent(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (DirectoryNotFoundException)
        {
            // the whole run folder is already gone
        }
    }

    /// <summary>
    /// A tiny shell process in its own session that waits for this process to end and then stops every group still
    /// recorded: terminate, wait, kill. On a clean shutdown the records are gone and it has nothing to do. It is
    /// started through a short-lived intermediate shell, so it is not our child: a test runner that kills its test
    /// host's process tree does not take the watchdog with it.
    /// </summary>
    public void StartWatchdog()
    {
        const string script = """
            owner=$1; dir=$2
            while kill -0 "$owner" 2>/dev/null; do sleep 1; done
            for f in "$dir"/*.pid; do [ -f "$f" ] && read g t o < "$f" && kill -TERM -- "-$g" 2>/dev/null; done
            sleep 5
            for f in "$dir"/*.pid; do [ -f "$f" ] && read g t o < "$f" && kill -KILL -- "-$g" 2>/dev/null; rm -f "$f"; done
            """;
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "-c", "setsid sh -c \"$0\" watchdog \"$1\" \"$2\" </dev/null >/dev/null 2>&1 &",
                     script, Environment.ProcessId.ToString(), _folder,
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var launcher = Process.Start(start)!;
        launcher.WaitForExit();
    }

    /// <summary>Kills every recorded group at once, without a graceful stop: for throwaway test servers when the
    /// test host is exiting and has no time to wait.</summary>
    public void KillAll()
    {
        var groups = new List<int>();
        foreach (var file in Directory.GetFiles(_folder, "*.pid"))
        {
            if (int.TryParse(File.ReadAllText(file).Split(' ')[0], out var group))
            {
                Posix.SignalGroup(group, Posix.SIGKILL);
                groups.Add(group);
            }
            File.Delete(file);
        }
        // SIGKILL is delivered asynchronously; wait briefly so the caller can remove the folders they wrote in.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (groups.Any(Posix.GroupIsAlive) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }
}
