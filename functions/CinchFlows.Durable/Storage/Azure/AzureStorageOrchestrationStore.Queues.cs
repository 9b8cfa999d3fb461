using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues.Models;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>The work and poison queues.</summary>
public sealed partial class AzureStorageOrchestrationStore
{
    /// <summary>Largest message body: 64 KiB once Base64-encoded.</summary>

    // Azure Queues take up to 32 messages per receive or peek.
    private const int MaxMessagesPerRequest = 32;

    // Messages never expire: a timer six days out must still be there (-1 s is the service's "infinite").
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    // Throws on bytes that are not UTF-8 instead of inventing replacement characters.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The service's cap on visibility timeouts.
    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <inheritdoc/>
    /// <remarks>
    /// The delay is rounded down to whole seconds (the service's unit), so a timer message may become visible up to a
    /// second early; the worker holds it until its exact time, so timers fire on time rather than up to a second late.
    /// </remarks>
    public async Task SendAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.Serialize(message, DurableJson.Options);
        QueueMessageSize.EnsureFits(message, body);

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var delay = message.VisibleAt is { } at && at > now ? Min(at - now, MaxVisibilityDelay) : TimeSpan.Zero;
        // Queue delays are whole seconds. Round down: a timer message then becomes visible up to a second early and the
        // worker holds it in memory until its exact time, instead of it surfacing up to a second late.
        await workQueue.SendMessageAsync(ToBase64(body), TimeSpan.FromSeconds(Math.Floor(delay.TotalSeconds)), NeverExpires, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        if (maxMessages < 1)
        {
            return [];
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var hideFor = Clamp(WholeSeconds(visibilityTimeout), TimeSpan.FromSeconds(1), MaxVisibilityTimeout);
        var response = await workQueue.ReceiveMessagesAsync(Math.Min(maxMessages, MaxMessagesPerRequest), hideFor, cancellationToken).ConfigureAwait(false);
        return [.. response.Value.Select(Read)];
    }

    /// <inheritdoc/>
    /// <remarks>A message already deleted, or received again by someone else since, is not an error.</remarks>
    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Receipt is HostDelivery delivery)
        {
            delivery.Complete();
            return;
        }

        var receipt = ReceiptOf(message);
        try
        {
            await workQueue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsGone(ex))
        {
            AzureStorageLog.MessageAlreadyGone(logger, receipt.MessageId, ex.Status, ex.ErrorCode, "delete");
        }
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Receipt is HostDelivery delivery)
        {
            delivery.Retry(delay);
            return;
        }

        var receipt = ReceiptOf(message);
        try
        {
            // No text: only the visibility changes, the body stays as it was.
            var response = await workQueue.UpdateMessageAsync(
                receipt.MessageId, receipt.PopReceipt, messageText: null, Clamp(WholeSeconds(delay), TimeSpan.Zero, MaxVisibilityTimeout), cancellationToken).ConfigureAwait(false);
            receipt.PopReceipt = response.Value.PopReceipt;
        }
        catch (RequestFailedException ex) when (IsGone(ex))
        {
            AzureStorageLog.MessageAlreadyGone(logger, receipt.MessageId, ex.Status, ex.ErrorCode, "release");
        }
    }

    /// <inheritdoc/>
    /// <remarks>The poison queue holds a JSON envelope (messageId, instanceId, reason, body, poisonedAt); the copy goes first, so a crash in between leaves a duplicate, never a loss.</remarks>
    public async Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reason);
        var receiptId = message.Receipt is HostDelivery ? "(delivered by the Functions host)" : ReceiptOf(message).MessageId;
        var envelope = new PoisonMessage(message.Message?.Id, message.Message?.InstanceId, reason, message.RawBody, timeProvider.GetUtcNow());
        var json = JsonSerializer.Serialize(envelope, DurableJson.Options);
        if (QueueMessageSize.Base64Length(json) > QueueMessageSize.MaxBase64Chars)
        {
            AzureStorageLog.PoisonBodyTruncated(logger, receiptId, message.RawBody.Length);
            json = JsonSerializer.Serialize(envelope with { Body = Truncate(envelope, json) }, DurableJson.Options);
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await poisonQueue.SendMessageAsync(ToBase64(json), null, NeverExpires, cancellationToken).ConfigureAwait(false);
        AzureStorageLog.MessagePoisoned(logger, receiptId, envelope.MessageId, envelope.InstanceId, PoisonQueueName, reason);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads up to 32 (the service's peek limit). A body that is not our envelope was put there by someone else, most
    /// likely the Azure Functions host, which moves a queue-trigger message to "{queue}-poison" after too many dequeues.
    /// </remarks>
    public async Task<IReadOnlyList<PoisonMessage>> PeekPoisonAsync(int maxMessages, CancellationToken cancellationToken)
    {
        if (maxMessages < 1)
        {
            return [];
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var response = await poisonQueue.PeekMessagesAsync(Math.Min(maxMessages, MaxMessagesPerRequest), cancellationToken).ConfigureAwait(false);
        return [.. response.Value.Select(ReadPoison)];
    }

    private static ReceivedMessage Read(QueueMessage message)
    {
        var receipt = new QueueReceipt(message.MessageId, message.PopReceipt);
        var text = message.Body.ToString();
        return FromBase64(text) is { } body
            ? InMemoryOrchestrationStore.Parse(body, message.DequeueCount, receipt)
            : new ReceivedMessage(null, message.DequeueCount, text, receipt) { ReadError = "The message body is not Base64-encoded UTF-8 text." };
    }

    private static PoisonMessage ReadPoison(PeekedMessage peeked)
    {
        var text = peeked.Body.ToString();
        var body = FromBase64(text) ?? text;
        try
        {
            var envelope = JsonSerializer.Deserialize<PoisonMessage>(body, DurableJson.Options);
            if (envelope is { Reason: not null, Body: not null })
            {
                return envelope;
            }
        }
        catch (JsonException)
        {
            // Not ours: described below.
        }

        var work = InMemoryOrchestrationStore.Parse(body, peeked.DequeueCount, peeked.MessageId).Message;
        return new PoisonMessage(
            work?.Id,
            work?.InstanceId,
            "Put on the poison queue by another producer (the Azure Functions host does so after too many dequeues).",
            body,
            peeked.InsertedOn ?? default);
    }

    private static string Truncate(PoisonMessage envelope, string json)
    {
        const string marker = "…[truncated]";
        var body = envelope.Body;
        var excess = QueueMessageSize.Base64Length(json) - QueueMessageSize.MaxBase64Chars;
        while (excess > 0 && body.Length > 0)
        {
            // Base64 is 4/3 of UTF-8, and JSON escaping can grow a character up to 6: cut generously, then check.
            body = body[..Math.Max(0, body.Length - Math.Max(excess, 64))];
            excess = QueueMessageSize.Base64Length(JsonSerializer.Serialize(envelope with { Body = body + marker }, DurableJson.Options)) - QueueMessageSize.MaxBase64Chars;
        }

        return body + marker;
    }

    private static QueueReceipt ReceiptOf(ReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Receipt as QueueReceipt
            ?? throw new ArgumentException("The message was not received from this store.", nameof(message));
    }

    private static bool IsGone(RequestFailedException exception) =>
        exception.Status == 404 || exception.ErrorCode == QueueErrorCode.PopReceiptMismatch;

    private static string ToBase64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string? FromBase64(string text)
    {
        var bytes = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
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

    private static TimeSpan WholeSeconds(TimeSpan value) => TimeSpan.FromSeconds(Math.Ceiling(value.TotalSeconds));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
