using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CinchFlows.DurableHub;
using CinchFlows.Flows;
using CinchFlows.Web.Http;
using CinchFlows.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Callbacks;

/// <summary>
/// Polls the <c>callback-requests</c> queue on the app's storage account in the standalone host and hands each message
/// to <see cref="CallbackRequestHandler"/>: promptly while messages come, backing off to
/// <see cref="CallbackRequestOptions.MaxPollingInterval"/> when idle. A message that can never succeed goes to the poison
/// queue at once; one that fails for a passing reason is retried, and poisoned after
/// <see cref="CallbackRequestOptions.MaxDequeueCount"/> attempts. Off when <c>Durable:Store</c> is <c>InMemory</c>.
/// </summary>
internal sealed class CallbackRequestListener(
    CallbackRequestHandler handler,
    IOptions<CallbackRequestOptions> options,
    IConfiguration configuration,
    AppStorage storage,
    TimeProvider timeProvider,
    ILogger<CallbackRequestListener> logger) : BackgroundService
{
    /// <summary>Largest poison message text: a queue message holds 64 KiB, and the envelope is Base64-encoded (4/3).</summary>
    private const int MaxPoisonBytes = 48 * 1024;

    private static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web);

    private readonly CallbackRequestOptions settings = options.Value;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (DurableHubServiceCollectionExtensions.ParseStoreKind(configuration[DurableHubServiceCollectionExtensions.StoreKey]) == DurableStoreKind.InMemory)
        {
            logger.ListenerOff();
            return;
        }

        var service = storage.Queues("callback-requests");
        var queue = service.GetQueueClient(settings.QueueName);
        var poison = service.GetQueueClient(settings.PoisonQueueName);
        try
        {
            await CreateQueuesAsync(queue, poison, stoppingToken).ConfigureAwait(false);
            logger.Listening(queue.Name, poison.Name);
            await PollAsync(queue, poison, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CreateQueuesAsync(QueueClient queue, QueueClient poison, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage may be down at start (no answer after retries surfaces as an AggregateException): keep trying.
                logger.PollFailed(ex, queue.Name, settings.MaxPollingInterval);
                await Task.Delay(settings.MaxPollingInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PollAsync(QueueClient queue, QueueClient poison, CancellationToken stoppingToken)
    {
        var delay = settings.MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, settings.VisibilityTimeout, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.PollFailed(ex, queue.Name, settings.MaxPollingInterval);
                await Task.Delay(settings.MaxPollingInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = settings.MinPollingInterval;
            foreach (var message in messages)
            {
                try
                {
                    await ProcessAsync(queue, poison, message, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Moving it to the poison queue failed: it shows up again after its visibility timeout.
                    logger.PollFailed(ex, queue.Name, settings.VisibilityTimeout);
                }
            }
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        var text = message.Body.ToString();
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            // Earlier attempts never finished (the process stopped or timed out while handling it).
            await PoisonAsync(queue, poison, message, text, $"Handed out {message.DequeueCount} times, more than the {settings.MaxDequeueCount} allowed, without being handled.", stoppingToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await handler.HandleAsync(text, message.DequeueCount, stoppingToken).ConfigureAwait(false);
        }
        catch (FlowInputException ex)
        {
            await PoisonAsync(queue, poison, message, text, ex.Message, stoppingToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                var reason = $"Failed {message.DequeueCount} times; the last error: {ex.GetType().Name}: {ex.Message}";
                await PoisonAsync(queue, poison, message, text, reason, stoppingToken).ConfigureAwait(false);
                return;
            }

            logger.Retrying(ex, message.MessageId, message.DequeueCount, settings.MaxDequeueCount, settings.RetryDelay);
            try
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.RetryDelay, cancellationToken: stoppingToken).ConfigureAwait(false);
            }
            catch (Exception retryFailed) when (retryFailed is RequestFailedException || StorageFailure.IsUnavailable(retryFailed))
            {
                // It comes back after its visibility timeout instead.
            }

            return;
        }

        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException || StorageFailure.IsUnavailable(ex))
        {
            logger.DeleteFailed(ex, message.MessageId);
        }
    }

    private async Task PoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string text, string reason, CancellationToken stoppingToken)
    {
        var envelope = Envelope(queue.Name, message.MessageId, message.DequeueCount, timeProvider.GetUtcNow(), text, reason);

        // Never expires: a request that nobody handled must not vanish silently.
        await poison.SendMessageAsync(envelope, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), stoppingToken).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        logger.Poisoned(message.MessageId, poison.Name, message.DequeueCount, reason);
    }

    /// <summary>The poison queue's message (Base64 of the JSON envelope) for a request that can never succeed, its text cut to fit.</summary>
    internal static string Envelope(string queueName, string messageId, long dequeueCount, DateTimeOffset poisonedAt, string text, string reason)
    {
        var original = text;
        var truncated = false;
        while (true)
        {
            var envelope = new CallbackRequestPoisonEnvelope(reason, queueName, messageId, dequeueCount, poisonedAt, original, truncated);
            var json = JsonSerializer.SerializeToUtf8Bytes(envelope, EnvelopeJson);
            if (json.Length <= MaxPoisonBytes || original.Length == 0)
            {
                return Convert.ToBase64String(json);
            }

            original = original[..(original.Length / 2)];
            truncated = true;
        }
    }
}
