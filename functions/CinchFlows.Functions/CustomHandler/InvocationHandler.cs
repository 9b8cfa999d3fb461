using CinchFlows.Durable;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Storage.Azure;
using CinchFlows.Durable.Worker;
using CinchFlows.Flows;
using CinchFlows.Functions.Callbacks;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>
/// Serves the non-HTTP functions when the Functions host drives the app: each delivered work message goes through the
/// worker's own code (<see cref="OrchestrationWorker.HandleDeliveredAsync"/>), each callback request through
/// <see cref="CallbackRequestHandler"/>, each timer tick through the sweeper.
/// </summary>
internal sealed class InvocationHandler(
    OrchestrationWorker worker,
    CallbackRequestHandler callbacks,
    IOptions<CallbackRequestOptions> callbackOptions,
    IConfiguration configuration,
    DurableMetrics metrics,
    TimeProvider timeProvider,
    ILogger<InvocationHandler> logger)
{
    private readonly Lazy<(Azure.Storage.Queues.QueueClient Queue, Azure.Storage.Queues.QueueClient Poison)> callbackQueues = new(() =>
    {
        var storage = new AzureStorageStoreOptions();
        storage.ReadConfiguration(configuration);
        var service = AzureStorageClients.CreateQueueServiceClient(storage, metrics);
        return (service.GetQueueClient(callbackOptions.Value.QueueName), service.GetQueueClient(callbackOptions.Value.PoisonQueueName));
    });

    /// <summary>A message of the runtime's work queue.</summary>
    public async Task<IResult> DurableWorkAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (invocation, error) = await ReadQueueAsync(context, CinchFlowsFunctions.DurableWork).ConfigureAwait(false);
        if (invocation is null)
        {
            return InvocationResults.Malformed(error!);
        }

        var outcome = await worker.HandleDeliveredAsync(invocation.Message, invocation.DequeueCount, context.RequestAborted).ConfigureAwait(false);
        switch (outcome.Settlement)
        {
            case DeliverySettlement.Retry:
                logger.Retrying(CinchFlowsFunctions.DurableWork, invocation.MessageId, invocation.DequeueCount, outcome.Reason);
                return InvocationResults.Failed($"Retry: {outcome.Reason ?? "the step failed"}");
            case DeliverySettlement.Poisoned:
                return InvocationResults.Succeeded($"Poisoned: {outcome.Reason}");
            default:
                return InvocationResults.Succeeded("Handled.");
        }
    }

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

    /// <summary>The sweeper's timer tick.</summary>
    public async Task<IResult> SweepAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var recovered = await worker.SweepAsync(context.RequestAborted).ConfigureAwait(false);
            return InvocationResults.Succeeded($"Swept: {recovered} outbox(es) re-sent.");
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            logger.SweepFailed(ex);
            return InvocationResults.Failed($"Sweep failed: {ex.GetType().Name}: {ex.Message}");
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
