namespace ParPlatform.Platform.Tests;

/// <summary>The machine's processes as /proc shows them: what the no-process-left-behind tests look for.</summary>
internal static class ProcessTable
{
    /// <summary>
    /// DCP's processes for the platform of a state folder: the controller that runs its PostgreSQL (whose command line
    /// names the state folder), and every DCP process sharing that controller's kubeconfig (the API server too).
    /// </summary>
    public static List<int> OrchestratorOf(string stateFolder)
    {
        var all = Processes();
        var postgres = all.FirstOrDefault(process => process.CommandLine.Contains("postgres-run.sh") && process.CommandLine.Contains(stateFolder));
        var controller = all.FirstOrDefault(process => process.Pid == postgres.Parent);
        if (postgres.Pid == 0 || controller.Pid == 0)
        {
            return [];
        }
        var kubeconfig = controller.CommandLine.Split(' ').SkipWhile(part => part != "--kubeconfig").Skip(1).FirstOrDefault() ?? "none";
        return all.Where(process => process.CommandLine.Contains(kubeconfig)).Select(process => process.Pid).ToList();
    }

    public static List<int> WithDescendants(List<int> roots)
    {
        var all = Processes();
        var found = new HashSet<int>(roots);
        bool added;
        do
        {
            added = false;
            foreach (var process in all.Where(process => found.Contains(process.Parent) && !found.Contains(process.Pid)))
            {
                added |= found.Add(process.Pid);
            }
        }
        while (added);
        return [.. found];
    }

    public static List<(int Pid, int Parent, string CommandLine)> Processes()
    {
        var result = new List<(int, int, string)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                result.Add((pid, parent, commandLine));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                // exited meanwhile
            }
        }
        return result;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
