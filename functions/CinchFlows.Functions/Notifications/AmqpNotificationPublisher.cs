using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using CinchFlows.Flows.Notifications;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Notifications;

/// <summary>
/// Sends notifications to Service Bus topics (or any AMQP 1.0 broker) and waits until the broker accepted each one.
/// One long-lived connection and session, one sender link per address; a broken connection is replaced on the next
/// publish. Service Bus links are authorized through CBS (SAS or Microsoft Entra ID tokens, renewed before they expire).
/// </summary>
internal sealed class AmqpNotificationPublisher : INotificationPublisher, IAsyncDisposable
{
    private readonly AmqpEndpoint endpoint;
    private readonly NotificationAddressResolver addresses;
    private readonly TimeSpan operationTimeout;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ConnectionFactory factory = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private AmqpPublisherConnection? current;
    private int generation;
    private int disposed;

    /// <summary>A publisher configured by <c>Notifications</c> (validated at start).</summary>
    public AmqpNotificationPublisher(IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<AmqpNotificationPublisher> logger)
        : this(
            AmqpEndpoint.Create(Value(options).Amqp, timeProvider),
            new NotificationAddressResolver(Value(options)),
            Value(options).Amqp.OperationTimeout,
            timeProvider,
            logger)
    {
    }

    /// <summary>A publisher to <paramref name="endpoint"/>; tests point it at their own broker.</summary>
    internal AmqpNotificationPublisher(
        AmqpEndpoint endpoint, NotificationAddressResolver addresses, TimeSpan operationTimeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.endpoint = endpoint;
        this.addresses = addresses;
        this.operationTimeout = operationTimeout;
        this.timeProvider = timeProvider;
        this.logger = logger;
        factory.AMQP.ContainerId = "cinchflows-" + Guid.NewGuid().ToString("N");
        if (endpoint.TokenProvider is not null)
        {
            // CBS carries the authorization; the SASL layer only has to let the connection open.
            factory.SASL.Profile = SaslProfile.Anonymous;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Returns once the broker accepted the message; throws on any other outcome, a timeout or a failure to connect, so
    /// the calling activity retries. When the connection turns out to be broken mid-send, it is sent once more on a new
    /// connection (same message-id, so Service Bus drops a duplicate).
    /// </remarks>
    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var address = addresses.Address(notification.Topic);
        for (var attempt = 1; ; attempt++)
        {
            AmqpPublisherConnection? connection = null;
            try
            {
                (connection, var sender) = await GetSenderAsync(address, cancellationToken).ConfigureAwait(false);
                await SendAsync(sender, notification, address, cancellationToken).ConfigureAwait(false);
                logger.Published(notification.MessageId, notification.Subject, notification.Topic, address);
                return;
            }
            catch (TimeoutException ex) when (connection is not null)
            {
                // A silently dead connection only shows as a timeout: do not hand it out again.
                logger.AmqpConnectionAbandoned(connection.Generation, endpoint, ex);
                await AbandonAsync(connection).ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (attempt == 1 && connection is { IsBroken: true } && ex is not OperationCanceledException)
            {
                logger.ResendingAfterConnectionLoss(notification.MessageId, address, connection.Generation, ex);
            }
        }
    }

    /// <summary>Closes the connection (and with it every link); later publishes throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Bounded: a publish stuck in a connect must not hold up the host's shutdown.
        var entered = await gate.WaitAsync(operationTimeout).ConfigureAwait(false);
        try
        {
            if (current is not null)
            {
                await current.CloseAsync().ConfigureAwait(false);
                current = null;
            }
        }
        finally
        {
            if (entered)
            {
                gate.Release();
            }
        }
    }

    private static NotificationOptions Value(IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    private async Task<(AmqpPublisherConnection Connection, SenderLink Sender)> GetSenderAsync(string address, CancellationToken cancellationToken)
    {
        // Bounded too: publishes queued behind a connect that is failing give up with it instead of retrying it in turn.
        if (!await gate.WaitAsync(operationTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Another publish has been connecting to the AMQP broker at {endpoint} for over {operationTimeout.TotalSeconds:0.#} s.");
        }

        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            if (current is null || current.IsBroken)
            {
                if (current is not null)
                {
                    await current.CloseAsync().ConfigureAwait(false);
                    current = null;
                }

                current = await AmqpPublisherConnection.OpenAsync(
                    factory, endpoint, ++generation, operationTimeout, timeProvider, logger, cancellationToken).ConfigureAwait(false);
                logger.AmqpConnected(current.Generation, endpoint);
            }

            var connection = current;
            try
            {
                return (connection, await connection.GetSenderAsync(address, cancellationToken).ConfigureAwait(false));
            }
            catch (TimeoutException)
            {
                current = null;
                await connection.CloseAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task AbandonAsync(AmqpPublisherConnection connection)
    {
        var entered = await gate.WaitAsync(operationTimeout).ConfigureAwait(false);
        try
        {
            if (entered && ReferenceEquals(current, connection))
            {
                current = null;
            }

            await connection.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            if (entered)
            {
                gate.Release();
            }
        }
    }

    private async Task SendAsync(SenderLink sender, Notification notification, string address, CancellationToken cancellationToken)
    {
        var outcome = new TaskCompletionSource<Outcome?>(TaskCreationOptions.RunContinuationsAsynchronously);
        sender.Send(
            AmqpNotificationMessage.Create(notification),
            static (_, _, result, state) => ((TaskCompletionSource<Outcome?>)state).TrySetResult(result),
            outcome);

        Outcome? result;
        try
        {
            result = await outcome.Task.WaitAsync(operationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(
                $"The AMQP broker at {endpoint} did not settle notification {notification.MessageId} on '{address}' within {operationTimeout.TotalSeconds:0.#} s.", ex);
        }

        if (result is Accepted)
        {
            return;
        }

        var reason = result switch
        {
            Rejected rejected => $"rejected it: {rejected.Error?.Condition} {rejected.Error?.Description}".TrimEnd(),
            Released => "released it (not delivered)",
            Modified => "returned it as modified (not delivered)",
            null => $"gave no outcome (the link closed: {sender.Error?.Condition} {sender.Error?.Description})".Replace(": )", ")", StringComparison.Ordinal),
            _ => $"answered {result.GetType().Name}",
        };
        throw new InvalidOperationException($"Notification {notification.MessageId} was not accepted on '{address}': the AMQP broker at {endpoint} {reason}.");
    }
}
