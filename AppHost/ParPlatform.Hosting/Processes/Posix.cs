using System.Runtime.InteropServices;

namespace ParPlatform.Hosting.Processes;

/// <summary>The few libc calls process supervision needs and .NET does not expose.</summary>
public static partial class Posix
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    public static bool IsRoot => geteuid() == 0;

    /// <summary>Signals every process of the group led by <paramref name="processGroupId"/>.</summary>
    public static bool SignalGroup(int processGroupId, int signal) => kill(-processGroupId, signal) == 0;

    public static bool IsAlive(int pid) => kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: alive, not ours */;

    public static bool GroupIsAlive(int processGroupId) => kill(-processGroupId, 0) == 0;

    /// <summary>Start time of a process in clock ticks since boot (field 22 of /proc/pid/stat); tells a pid reused by
    /// another program apart from ours.</summary>
    public static long? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(afterName[19]);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
