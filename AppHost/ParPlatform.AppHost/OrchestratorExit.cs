namespace ParPlatform.AppHost;

/// <summary>
/// After Ctrl+C the AppHost returns within a couple of seconds while DCP (detached, watching this process) still stops
/// the resources: waiting for DCP's processes to exit means that when ./run.sh returns, nothing of the platform is
/// left running, and an immediate restart finds PostgreSQL's data folder free.
/// </summary>
internal static class OrchestratorExit
{
    public static async Task WaitAsync(TimeSpan timeout)
    {
        var server = Processes().FirstOrDefault(process =>
            process.CommandLine.Contains("start-apiserver") && process.CommandLine.Contains($"--monitor {Environment.ProcessId} "));
        if (server.Pid == 0)
        {
            return;
        }
        var kubeconfig = server.CommandLine.Split(' ').SkipWhile(part => part != "--kubeconfig").Skip(1).FirstOrDefault();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline
               && Processes().Any(process => process.Pid == server.Pid || (kubeconfig is not null && process.CommandLine.Contains(kubeconfig))))
        {
            await Task.Delay(250);
        }
    }

    private static List<(int Pid, string CommandLine)> Processes()
    {
        var result = new List<(int, string)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    result.Add((pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        return result;
    }
}
