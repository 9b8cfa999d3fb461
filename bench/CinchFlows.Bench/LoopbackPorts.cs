using System.Net;
using System.Net.Sockets;

namespace CinchFlows.Bench;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> different free ports: each held until all are chosen, so none is handed out twice.</summary>
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

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts connections.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>.</exception>
    public static async Task WaitUntilOpenAsync(int port, TimeSpan timeout, Func<bool> gaveUp, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTimeOffset.UtcNow < deadline && !gaveUp())
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout}.", ex);
            }
        }
    }
}
