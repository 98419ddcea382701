using System.Net;
using System.Net.Sockets;

namespace ParPlatform.Hosting.Processes;

/// <summary>
/// Hands out loopback ports for processes that will bind them later (seconds to a minute later, for the last service
/// an AppHost starts). Two things can take such a port in between, and both happened under parallel test runs:
/// the kernel's ephemeral range is also where every outgoing connection gets its local port, and another process
/// of this machine may be handed the same port. So ports come from below the ephemeral range, and each one is
/// reserved machine-wide by a marker file for <see cref="ReservationLifetime"/>, long enough to be bound by then.
/// </summary>
public static class PortAllocator
{
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(15);
    private static readonly string ReservationFolder = Path.Combine(Path.GetTempPath(), "parplatform-ports");
    private static readonly HashSet<int> Handed = [];
    private static readonly (int Low, int High) Range = PortRangeBelowEphemeral();

    /// <summary>A loopback port that is free now, not handed out before by this process, and not reserved by another.</summary>
    public static int GetFreePort()
    {
        lock (Handed)
        {
            Directory.CreateDirectory(ReservationFolder);
            for (var attempt = 0; attempt < 10_000; attempt++)
            {
                var port = Random.Shared.Next(Range.Low, Range.High + 1);
                if (!Handed.Contains(port) && IsFree(port) && TryReserve(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
            throw new InvalidOperationException($"No free loopback port in {Range.Low}-{Range.High}.");
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool TryReserve(int port)
    {
        var marker = Path.Combine(ReservationFolder, port.ToString());
        try
        {
            if (File.Exists(marker) && DateTime.UtcNow - File.GetLastWriteTimeUtc(marker) > ReservationLifetime)
            {
                File.Delete(marker);
            }
            using var created = new FileStream(marker, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false; // reserved by another process a moment ago
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>From 10000 up to just below the kernel's ephemeral range (32768 on Linux by default).</summary>
    private static (int Low, int High) PortRangeBelowEphemeral()
    {
        var ephemeralLow = 32768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(text[0]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return ephemeralLow > 12_000 ? (10_000, ephemeralLow - 1) : (ephemeralLow, 65_535);
    }
}
