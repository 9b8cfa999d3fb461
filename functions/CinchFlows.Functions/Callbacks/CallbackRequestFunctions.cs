using Azure.Storage.Queues.Models;
using CinchFlows.Flows;
using CinchFlows.Functions.Hosting;
using CinchFlows.Storage;
using CinchFlows.Web.Callbacks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Callbacks;

/// <summary>
/// The <c>callback-requests</c> queue trigger: each message goes to <see cref="CallbackRequestHandler"/>, as the
/// standalone host's <see cref="CallbackRequestListener"/> sends it. A message that can never succeed, or that failed
/// on its last allowed attempt, goes to the poison queue in the same envelope with its reason; a passing failure is
/// thrown, so the host shows the message again after <c>host.json</c>'s <c>visibilityTimeout</c>.
/// </summary>
internal sealed class CallbackRequestFunctions(
    BoundDurableTaskClient durable,
    CallbackRequestHandler handler,
    AppStorage storage,
    IOptions<CallbackRequestOptions> options,
    TimeProvider timeProvider,
    ILogger<CallbackRequestFunctions> logger)
{
    /// <summary>The queue name's setting, resolved by the host (<c>CallbackRequests__QueueName</c>).</summary>
    public const string QueueNameSetting = "%" + CallbackRequestOptions.SectionName + ":" + nameof(CallbackRequestOptions.QueueName) + "%";

    /// <summary>Handles one message of the <c>callback-requests</c> queue.</summary>
    [Function(nameof(CallbackRequests))]
    public async Task CallbackRequests(
        [QueueTrigger(QueueNameSetting)] QueueMessage message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        durable.Bind(client);
        var text = message.Body.ToString();
        var settings = options.Value;
        try
        {
            await handler.HandleAsync(text, message.DequeueCount, cancellationToken);
        }
        catch (FlowInputException ex)
        {
            await PoisonAsync(message, text, ex.Message, cancellationToken);
        }
        catch (Exception ex) when (message.DequeueCount >= settings.MaxDequeueCount && !cancellationToken.IsCancellationRequested)
        {
            // The host would move it without a reason: keep the standalone host's envelope, which says why.
            await PoisonAsync(message, text, $"Failed {message.DequeueCount} times; the last error: {ex.GetType().Name}: {ex.Message}", cancellationToken);
        }
    }

    private async Task PoisonAsync(QueueMessage message, string text, string reason, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var poison = storage.Queues("callback-requests").GetQueueClient(settings.PoisonQueueName);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var envelope = CallbackRequestListener.Envelope(settings.QueueName, message.MessageId, message.DequeueCount, timeProvider.GetUtcNow(), text, reason);

        // Never expires: a request that nobody handled must not vanish silently. Returning normally deletes the original.
        await poison.SendMessageAsync(envelope, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
        logger.Poisoned(message.MessageId, poison.Name, message.DequeueCount, reason);
    }
}
