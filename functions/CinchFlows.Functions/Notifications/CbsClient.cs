using System.Globalization;
using Amqp;
using Amqp.Framing;

namespace CinchFlows.Functions.Notifications;

/// <summary>
/// Puts tokens on a broker's <c>$cbs</c> node (AMQP claims-based security, as Service Bus implements it) over a pair of
/// links: requests out, replies back to a private address. Not thread-safe: the publisher calls it under its lock.
/// </summary>
internal sealed class CbsClient
{
    /// <summary>The address of the CBS node.</summary>
    public const string NodeAddress = "$cbs";

    private readonly SenderLink requests;
    private readonly ReceiverLink replies;
    private readonly string replyTo;
    private readonly TimeProvider timeProvider;
    private long requestCount;

    /// <summary>Attaches the request and reply links in <paramref name="session"/>; <paramref name="linkSuffix"/> makes their names unique.</summary>
    public CbsClient(Session session, string linkSuffix, TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        replyTo = "cbs-reply-" + linkSuffix;

        // The reply address is both the request link's source and the reply link's target, and each request's reply-to.
        requests = new SenderLink(
            session,
            "cinchflows-cbs-requests-" + linkSuffix,
            new Attach { Source = new Source { Address = replyTo }, Target = new Target { Address = NodeAddress } },
            null);
        replies = new ReceiverLink(
            session,
            "cinchflows-cbs-replies-" + linkSuffix,
            new Attach { Source = new Source { Address = NodeAddress }, Target = new Target { Address = replyTo } },
            null);

        // Credit before the first request: a reply must never arrive on a link that has granted none (AMQPNetLite
        // grants it only with the first ReceiveAsync, after the request has gone).
        replies.SetCredit(10, autoRestore: true);
    }

    /// <summary>True when either link was closed (by the broker or with the connection).</summary>
    public bool IsClosed => requests.IsClosed || replies.IsClosed;

    /// <summary>Detaches both links without waiting for the broker; never throws.</summary>
    public void CloseQuietly()
    {
        foreach (var link in new Link[] { requests, replies })
        {
            try
            {
                link.Close(TimeSpan.Zero);
            }
#pragma warning disable CA1031 // Closing a link that is already gone: nothing to do.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>
    /// Sends a put-token request for <paramref name="audience"/> and waits for its reply; throws
    /// <see cref="UnauthorizedAccessException"/> unless the reply's status code is 200 or 202.
    /// </summary>
    public async Task PutTokenAsync(CbsAudience audience, CbsToken token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(token);
        var started = timeProvider.GetTimestamp();
        var requestId = "put-token-" + Interlocked.Increment(ref requestCount).ToString(CultureInfo.InvariantCulture);
        var request = new Message(token.Value)
        {
            Properties = new Properties { MessageId = requestId, ReplyTo = replyTo },
            ApplicationProperties = new ApplicationProperties(),
        };
        request.ApplicationProperties["operation"] = "put-token";
        request.ApplicationProperties["type"] = token.Type;
        request.ApplicationProperties["name"] = audience.Name;
        request.ApplicationProperties["expiration"] = token.ExpiresAt.UtcDateTime;

        await requests.SendAsync(request, timeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var remaining = timeout - timeProvider.GetElapsedTime(started);
            var reply = remaining > TimeSpan.Zero
                ? await replies.ReceiveAsync(remaining).WaitAsync(cancellationToken).ConfigureAwait(false)
                : null;
            if (reply is null)
            {
                throw new TimeoutException($"The broker did not answer the put-token request for {audience.Name} within {timeout.TotalSeconds:0.#} s.");
            }

            replies.Accept(reply);

            // A reply to an earlier request that timed out is not this one's answer.
            if (reply.Properties?.CorrelationId is { } correlationId && !string.Equals(correlationId, requestId, StringComparison.Ordinal))
            {
                continue;
            }

            var status = reply.ApplicationProperties?["status-code"] is { } code ? Convert.ToInt32(code, CultureInfo.InvariantCulture) : 0;
            if (status is 200 or 202)
            {
                return;
            }

            var description = reply.ApplicationProperties?["status-description"];
            throw new UnauthorizedAccessException(
                $"The broker refused the {token.Type} token for {audience.Name}: status {status} {description}".TrimEnd() + ".");
        }
    }
}
