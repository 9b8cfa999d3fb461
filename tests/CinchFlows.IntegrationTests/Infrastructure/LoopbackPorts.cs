using System.Net;
using System.Net.Sockets;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the servers the tests start.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
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
