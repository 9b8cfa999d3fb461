using System.Globalization;
using Amqp;
using Amqp.Framing;

namespace CinchFlows.Functions.Notifications;

/// <summary>
/// One open connection of the AMQP publisher: its session, one sender link per address, and the CBS tokens put for
/// them. Not thread-safe: the publisher calls it under its lock (sending on the links it hands out is thread-safe).
/// </summary>
internal sealed class AmqpPublisherConnection
{
    /// <summary>A token is put again once it is this old, whatever its lifetime.</summary>
    public static readonly TimeSpan TokenRenewalAge = TimeSpan.FromMinutes(45);

    /// <summary>A token is put again when it expires within this margin.</summary>
    public static readonly TimeSpan TokenExpiryMargin = TimeSpan.FromMinutes(5);

    private readonly Connection connection;
    private readonly Session session;
    private readonly AmqpEndpoint endpoint;
    private readonly TimeSpan timeout;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Dictionary<string, SenderLink> senders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset PutAt, DateTimeOffset ExpiresAt)> tokens = new(StringComparer.Ordinal);
    private CbsClient? cbs;
    private int linkCount;
    private volatile bool closing;

    private AmqpPublisherConnection(
        Connection connection, AmqpEndpoint endpoint, int generation, TimeSpan timeout, TimeProvider timeProvider, ILogger logger)
    {
        this.connection = connection;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.timeProvider = timeProvider;
        this.logger = logger;
        Generation = generation;
        session = new Session(connection);
        connection.AddClosedCallback((_, error) =>
        {
            if (!closing)
            {
                logger.AmqpConnectionLost(generation, endpoint, error?.Condition?.ToString(), error?.Description);
            }
        });
    }

    /// <summary>Which connection of the publisher this is (1 for the first, counting reconnects).</summary>
    public int Generation { get; }

    /// <summary>True once the connection or its session is closed: the next publish opens a new connection.</summary>
    public bool IsBroken => closing || connection.IsClosed || session.IsClosed;

    /// <summary>Connects to <paramref name="endpoint"/> with <paramref name="factory"/> and begins a session.</summary>
    public static async Task<AmqpPublisherConnection> OpenAsync(
        ConnectionFactory factory,
        AmqpEndpoint endpoint,
        int generation,
        TimeSpan timeout,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(endpoint);
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Connection connection;
        var connecting = factory.CreateAsync(endpoint.Address, linked.Token);
        try
        {
            // AMQPNetLite stops watching the token once TCP is connected: a broker that then never answers the SASL or
            // TLS handshake would hang the connect forever. The deadline is enforced here; a connection that still
            // opens later is closed.
            connection = await connecting.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            CloseWhenOpened(connecting);
            throw new TimeoutException($"Connecting to the AMQP broker at {endpoint} took longer than {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (OperationCanceledException)
        {
            CloseWhenOpened(connecting);
            throw;
        }

        return new AmqpPublisherConnection(connection, endpoint, generation, timeout, timeProvider, logger);
    }

    /// <summary>
    /// The sender link for <paramref name="address"/>: the cached one while it is open (with its CBS token renewed when
    /// due), else a new one, attached after a fresh token was put.
    /// </summary>
    public async Task<SenderLink> GetSenderAsync(string address, CancellationToken cancellationToken)
    {
        if (senders.TryGetValue(address, out var sender))
        {
            if (!sender.IsClosed)
            {
                if (endpoint.TokenProvider is not null && TokenIsDue(address))
                {
                    await PutTokenAsync(endpoint.TokenProvider, address, cancellationToken).ConfigureAwait(false);
                }

                return sender;
            }

            senders.Remove(address);
            await CloseQuietlyAsync(sender).ConfigureAwait(false);
        }

        if (endpoint.TokenProvider is not null)
        {
            await PutTokenAsync(endpoint.TokenProvider, address, cancellationToken).ConfigureAwait(false);
        }

        sender = await AttachAsync(address, cancellationToken).ConfigureAwait(false);
        senders[address] = sender;
        return sender;
    }

    /// <summary>Closes the connection, and with it the session and every link; never throws.</summary>
    public async Task CloseAsync()
    {
        closing = true;
        senders.Clear();
        cbs = null;
        await CloseQuietlyAsync(connection).ConfigureAwait(false);
    }

    private bool TokenIsDue(string address)
    {
        if (!tokens.TryGetValue(address, out var token))
        {
            return true;
        }

        var now = timeProvider.GetUtcNow();
        return now - token.PutAt >= TokenRenewalAge || token.ExpiresAt - now <= TokenExpiryMargin;
    }

    private async Task PutTokenAsync(ICbsTokenProvider provider, string address, CancellationToken cancellationToken)
    {
        var audience = new CbsAudience(endpoint.Host, address);
        var token = await provider.GetTokenAsync(audience, cancellationToken).ConfigureAwait(false);
        if (cbs is null || cbs.IsClosed)
        {
            cbs = new CbsClient(session, NewLinkSuffix(), timeProvider);
        }

        try
        {
            await cbs.PutTokenAsync(audience, token, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not UnauthorizedAccessException)
        {
            // A reply may still be on its way to the old links: start the next request on new ones, and let the old go.
            cbs.CloseQuietly();
            cbs = null;
            throw;
        }

        tokens[address] = (timeProvider.GetUtcNow(), token.ExpiresAt);
        logger.TokenPut(token.Type, audience.Name, token.ExpiresAt);
    }

    private async Task<SenderLink> AttachAsync(string address, CancellationToken cancellationToken)
    {
        var name = "cinchflows-notifications-" + NewLinkSuffix();
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new SenderLink(session, name, new Target { Address = address }, (_, attach) =>
        {
            // A broker that refuses the link answers with no target and then detaches with the reason.
            if (attach.Target is not null)
            {
                attached.TrySetResult();
            }
        });
        sender.AddClosedCallback((_, error) => attached.TrySetException(new InvalidOperationException(
            $"The AMQP broker at {endpoint} refused a sender link to '{address}': {error?.Condition} {error?.Description}".TrimEnd() + ".")));
        try
        {
            await attached.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await CloseQuietlyAsync(sender).ConfigureAwait(false);
            throw new TimeoutException($"The AMQP broker at {endpoint} did not attach a sender link to '{address}' within {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch
        {
            await CloseQuietlyAsync(sender).ConfigureAwait(false);
            throw;
        }

        logger.SenderAttached(name, address);
        return sender;
    }

    private static void CloseWhenOpened(Task<Connection> connecting) =>
        _ = connecting.ContinueWith(
            static task => task.Status == TaskStatus.RanToCompletion ? CloseQuietlyAsync(task.Result) : Task.CompletedTask,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();

    private string NewLinkSuffix() =>
        string.Create(CultureInfo.InvariantCulture, $"{Generation}-{Interlocked.Increment(ref linkCount)}-{Guid.NewGuid():N}");

    private static async Task CloseQuietlyAsync(AmqpObject amqpObject)
    {
        if (amqpObject.IsClosed)
        {
            return;
        }

        try
        {
            await amqpObject.CloseAsync(TimeSpan.FromSeconds(5), null).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmqpException or ObjectDisposedException or TimeoutException or InvalidOperationException or IOException)
        {
            // Closing something already broken: the socket is gone either way.
        }
    }
}
