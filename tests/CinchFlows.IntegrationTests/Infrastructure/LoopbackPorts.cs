using System.Net;
using System.Net.Sockets;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the servers the tests start.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> different free ports, none handed out twice (the benchmark's own, <see cref="global::CinchFlows.Bench.LoopbackPorts.Free(int)"/>).</summary>
    public static int[] Free(int count) => global::CinchFlows.Bench.LoopbackPorts.Free(count);

    /// <summary>True when something accepts TCP connections on the port within a second.</summary>
    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
