using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP forwarder on free ports of 127.0.0.1 in front of a storage account's blob, queue and table endpoints, so a
/// test can take storage away from a running app and give it back: <see cref="Cut"/> refuses new connections and resets
/// the open ones (as a storage outage looks to a client), <see cref="Restore"/> listens again on the same ports. Point
/// the app at <see cref="ConnectionString"/>. The host must start against working storage: the engine refuses to start
/// without it.
/// </summary>
internal sealed partial class StorageProxy : IAsyncDisposable
{
    private readonly List<Forwarder> forwarders = [];
    private int loseNext;

    private StorageProxy(string connectionString)
    {
        // Each http endpoint of the account (Azurite's, on loopback) gets a forwarder; the connection string is rewritten to them.
        ConnectionString = Endpoint().Replace(connectionString, match =>
        {
            var forwarder = new Forwarder(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture), () => Slowdown, TakeLoss);
            forwarders.Add(forwarder);
            return $"{match.Groups["key"].Value}=http://127.0.0.1:{forwarder.Port}/";
        });
        if (forwarders.Count == 0)
        {
            throw new InvalidOperationException("The connection string names no http://127.0.0.1 endpoints to put a proxy in front of.");
        }
    }

    /// <summary>The account's connection string with its endpoints pointing at this proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// How long each answer of storage is held back before it reaches the app (zero: passed on at once). Storage that
    /// answers every request, slowly: what a saturated storage account looks like from the app.
    /// </summary>
    public TimeSpan Slowdown { get; set; }

    /// <summary>True while storage is cut off.</summary>
    public bool IsCut { get; private set; }

    /// <summary>
    /// The next answer storage gives is not passed on: its connection is reset instead, after storage has done what was
    /// asked. The client sees a network failure and, like the Azure SDK, sends the request again.
    /// </summary>
    public void LoseNextAnswer() => Interlocked.Exchange(ref loseNext, 1);

    /// <summary>True once for the answer <see cref="LoseNextAnswer"/> asked to lose, whichever endpoint gives it.</summary>
    private bool TakeLoss() => Interlocked.Exchange(ref loseNext, 0) == 1;

    /// <summary>Starts forwarding to the endpoints of <paramref name="connectionString"/> (Azurite's http endpoints on 127.0.0.1).</summary>
    public static StorageProxy Start(string connectionString) => new(connectionString);

    /// <summary>Storage goes away: new connections are refused and open ones are reset.</summary>
    public void Cut()
    {
        IsCut = true;
        foreach (var forwarder in forwarders)
        {
            forwarder.Stop();
        }
    }

    /// <summary>Storage comes back on the same ports.</summary>
    public void Restore()
    {
        foreach (var forwarder in forwarders)
        {
            forwarder.Listen();
        }

        IsCut = false;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var forwarder in forwarders)
        {
            forwarder.Stop();
        }

        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"(?<key>BlobEndpoint|QueueEndpoint|TableEndpoint)=http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex Endpoint();

    /// <summary>One listening port forwarding every connection to one target port on 127.0.0.1.</summary>
    private sealed class Forwarder
    {
        private readonly int target;
        private readonly Func<TimeSpan> slowdown;
        private readonly Func<bool> takeLoss;
        private readonly ConcurrentDictionary<Socket, byte> open = new();
        private TcpListener? listener;

        public Forwarder(int target, Func<TimeSpan> slowdown, Func<bool> takeLoss)
        {
            this.takeLoss = takeLoss;
            this.target = target;
            this.slowdown = slowdown;
            Listen();
        }

        public int Port { get; private set; }

        public void Listen()
        {
            if (listener is not null)
            {
                return;
            }

            var started = new TcpListener(IPAddress.Loopback, Port);
            started.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            started.Start();
            Port = ((IPEndPoint)started.LocalEndpoint).Port;
            listener = started;
            _ = AcceptAsync(started);
        }

        public void Stop()
        {
            listener?.Stop();
            listener = null;
            foreach (var socket in open.Keys)
            {
                Reset(socket);
            }
        }

        private static void Reset(Socket socket)
        {
            try
            {
                // Linger 0: the peer sees a reset, as when the storage service dies, not a graceful end of the response.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
                // Closed by its pipe already.
            }
        }

        private async Task AcceptAsync(TcpListener accepting)
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await accepting.AcceptSocketAsync();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = PipeAsync(client);
            }
        }

        /// <summary>Passes storage's answers on, each read held back by the proxy's slowdown; a lost one resets the client's connection.</summary>
        private async Task CopyAnswersAsync(Stream storage, Stream client, Socket clientSocket)
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await storage.ReadAsync(buffer)) > 0)
            {
                if (takeLoss())
                {
                    Reset(clientSocket);
                    return;
                }

                if (slowdown() is { } delay && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay);
                }

                await client.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        private async Task PipeAsync(Socket client)
        {
            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            open.TryAdd(client, 0);
            open.TryAdd(upstream, 0);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, target);
                await using var toClient = new NetworkStream(client, ownsSocket: false);
                await using var toStorage = new NetworkStream(upstream, ownsSocket: false);
                await Task.WhenAny(toClient.CopyToAsync(toStorage), CopyAnswersAsync(toStorage, toClient, client));
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                // Either side went away (or the proxy was cut): close both below.
            }
            finally
            {
                open.TryRemove(client, out _);
                open.TryRemove(upstream, out _);
                client.Dispose();
                upstream.Dispose();
            }
        }
    }
}
