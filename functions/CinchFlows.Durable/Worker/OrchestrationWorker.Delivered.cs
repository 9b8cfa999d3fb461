using System.Text;
using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Worker;

/// <summary>Messages the Azure Functions host delivers one at a time (a queue trigger), handled by the same code as polled ones.</summary>
public sealed partial class OrchestrationWorker
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Handles one work message that the Functions host took off the work queue, and completes when it is settled: stepped
    /// and done, sent on for later (a timer that arrived early), poisoned by the runtime's own rule, or to be retried.
    /// The host holds the message meanwhile; it deletes it when the answer succeeds and makes it visible again otherwise.
    /// </summary>
    /// <param name="body">The message text as the host hands it over: the JSON (host decoding Base64), or still Base64.</param>
    /// <param name="dequeueCount">The host's <c>DequeueCount</c> of the message, this delivery included.</param>
    /// <param name="cancellationToken">The invocation's lifetime; when it ends first the outcome is a retry.</param>
    public async Task<DeliveryOutcome> HandleDeliveredAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var delivery = new HostDelivery();
        var text = DecodeDelivered(body);
        var message = text is null
            ? new ReceivedMessage(null, dequeueCount, body, delivery) { ReadError = "The message is neither a work message nor Base64 of one." }
            : InMemoryOrchestrationStore.Parse(text, dequeueCount, delivery);
        try
        {
            await HandleAsync([message], cancellationToken).ConfigureAwait(false);
            return await delivery.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !delivery.Settled.IsCompleted)
        {
            // Storage failed while settling (a poison copy not written, a re-send not sent): the host must try again.
            WorkerLog.MessageFailed(logger, ex, message.Message?.Id, message.Message?.InstanceId, dequeueCount, TimeSpan.Zero);
            delivery.Retry(TimeSpan.Zero);
            return await delivery.Settled.ConfigureAwait(false) with { Reason = $"{ex.GetType().Name}: {ex.Message}" };
        }
    }

    private static string? DecodeDelivered(string body)
    {
        var trimmed = body.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] == '{')
        {
            return trimmed.ToString();
        }

        // With the queue extension's messageEncoding "none" the host hands over the Base64 the runtime wrote.
        var bytes = new byte[(trimmed.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(trimmed, bytes, out var length))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
