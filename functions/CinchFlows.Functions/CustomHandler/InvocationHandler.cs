using CinchFlows.Flows;
using CinchFlows.Functions.Callbacks;
using CinchFlows.Storage;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>
/// Serves the non-HTTP functions when the Functions host drives the app: each callback request goes through
/// <see cref="CallbackRequestHandler"/>, as in the standalone listener.
/// </summary>
internal sealed class InvocationHandler(
    CallbackRequestHandler callbacks,
    IOptions<CallbackRequestOptions> callbackOptions,
    AppStorage storage,
    TimeProvider timeProvider,
    ILogger<InvocationHandler> logger)
{
    private readonly Lazy<(Azure.Storage.Queues.QueueClient Queue, Azure.Storage.Queues.QueueClient Poison)> callbackQueues = new(() =>
    {
        var service = storage.Queues("callback-requests");
        return (service.GetQueueClient(callbackOptions.Value.QueueName), service.GetQueueClient(callbackOptions.Value.PoisonQueueName));
    });

    /// <summary>A message of the <c>callback-requests</c> queue: the same rules as the standalone listener.</summary>
    public async Task<IResult> CallbackRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (invocation, error) = await ReadQueueAsync(context, CinchFlowsFunctions.CallbackRequests).ConfigureAwait(false);
        if (invocation is null)
        {
            return InvocationResults.Malformed(error!);
        }

        var settings = callbackOptions.Value;
        var cancellationToken = context.RequestAborted;
        if (invocation.DequeueCount > settings.MaxDequeueCount)
        {
            return await PoisonCallbackAsync(invocation, $"Handed out {invocation.DequeueCount} times, more than the {settings.MaxDequeueCount} allowed, without being handled.", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var result = await callbacks.HandleAsync(invocation.Message, invocation.DequeueCount, cancellationToken).ConfigureAwait(false);
            return InvocationResults.Succeeded($"{result.Outcome}: flow {result.FlowId}.");
        }
        catch (FlowInputException ex)
        {
            return await PoisonCallbackAsync(invocation, ex.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (invocation.DequeueCount >= settings.MaxDequeueCount)
            {
                return await PoisonCallbackAsync(invocation, $"Failed {invocation.DequeueCount} times; the last error: {ex.GetType().Name}: {ex.Message}", cancellationToken).ConfigureAwait(false);
            }

            logger.Retrying(CinchFlowsFunctions.CallbackRequests, invocation.MessageId, invocation.DequeueCount, ex.Message);
            return InvocationResults.Failed($"Retry: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<(QueueInvocation? Invocation, string? Error)> ReadQueueAsync(HttpContext context, string functionName)
    {
        var (document, error) = await InvocationReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (document is null)
        {
            logger.Malformed(functionName, error!);
            return (null, error);
        }

        using (document)
        {
            var read = InvocationReader.ReadQueue(document.RootElement, QueueFunctionDeclaration.BindingName);
            if (read.Invocation is null)
            {
                logger.Malformed(functionName, read.Error!);
            }

            return read;
        }
    }

    private async Task<IResult> PoisonCallbackAsync(QueueInvocation invocation, string reason, CancellationToken cancellationToken)
    {
        var (queue, poison) = callbackQueues.Value;
        try
        {
            var envelope = CallbackRequestListener.Envelope(queue.Name, invocation.MessageId, invocation.DequeueCount, timeProvider.GetUtcNow(), invocation.Message, reason);
            await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

            // Never expires: a request that nobody handled must not vanish silently.
            await poison.SendMessageAsync(envelope, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The copy was not written: the host must keep the original.
            logger.Retrying(CinchFlowsFunctions.CallbackRequests, invocation.MessageId, invocation.DequeueCount, ex.Message);
            return InvocationResults.Failed($"Retry: the poison copy could not be written: {ex.Message}");
        }

        logger.Poisoned(CinchFlowsFunctions.CallbackRequests, invocation.MessageId, invocation.DequeueCount, poison.Name, reason);
        return InvocationResults.Succeeded($"Poisoned: {reason}");
    }
}
