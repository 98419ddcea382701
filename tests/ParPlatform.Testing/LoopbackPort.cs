using System.Net;
using System.Net.Sockets;

namespace ParPlatform.Testing;

/// <summary>
/// A port for a host this test process starts itself a moment later (a service on Kestrel, a gRPC stand-in) when the
/// port must be known before it starts (the services' configuration names each other's addresses). Below the
/// kernel's ephemeral range, where no outgoing connection takes it meanwhile; what Aspire starts gets its ports from
/// DCP instead.
/// </summary>
public static class LoopbackPort
{
    private static readonly int EphemeralLow = ReadEphemeralLow();

    public static int Free()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(10_000, EphemeralLow);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: another one
            }
        }
        throw new InvalidOperationException($"No free loopback port in 10000-{EphemeralLow - 1}.");
    }

    private static int ReadEphemeralLow()
    {
        try
        {
            var low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0]);
            return low > 12_000 ? low : 32_768;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
