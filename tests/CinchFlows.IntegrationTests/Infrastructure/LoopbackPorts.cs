using System.Net;
using System.Net.Sockets;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the servers the tests start.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free() => Free(1)[0];

    /// <summary>
    /// <paramref name="count"/> different ports nothing listens on right now. Each is held until all are chosen: asked
    /// one after another, the system may hand out a port it just gave back (seen: Azurite given one port for blobs and
    /// queues, "EADDRINUSE").
    /// </summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

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
