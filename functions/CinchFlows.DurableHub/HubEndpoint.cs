using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace CinchFlows.DurableHub;

/// <summary>
/// Where the in-process hub listens, known only once it has started (it binds a free loopback port), and the gRPC
/// channel the worker and client reach it by: the channel is made before the hub starts and connects when first used.
/// </summary>
public sealed class HubEndpoint : IDisposable
{
    private readonly TaskCompletionSource<IPEndPoint> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the endpoint and its channel.</summary>
    public HubEndpoint()
    {
        var handler = new SocketsHttpHandler
        {
            // The address below is a placeholder: every connection goes to wherever the hub is bound.
            ConnectCallback = ConnectAsync,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        Channel = GrpcChannel.ForAddress("http://127.0.0.1", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The channel to the hub (HTTP/2 without TLS, loopback only).</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The hub's address, once it listens.</summary>
    public Task<IPEndPoint> Address => bound.Task;

    /// <summary>Called by the hub once it listens.</summary>
    internal void Bind(IPEndPoint address) => bound.TrySetResult(address);

    /// <summary>Called by the hub when it could not start: waiting connections fail instead of hanging.</summary>
    internal void Fail(Exception exception) => bound.TrySetException(exception);

    /// <inheritdoc/>
    public void Dispose() => Channel.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var address = await bound.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
