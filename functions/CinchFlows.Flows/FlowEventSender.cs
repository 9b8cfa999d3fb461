using Microsoft.DurableTask.Client;

namespace CinchFlows.Flows;

/// <summary>
/// Raises events only on flows that can take them. The SDK's <see cref="DurableTaskClient.RaiseEventAsync(string, string, object, CancellationToken)"/>
/// neither fails for an unknown id nor for a finished flow (the event is dropped), so the flow is looked up first and
/// the caller learns which of the three it was; a flow not started yet (Pending) is refused with
/// <see cref="FlowStartingException"/>, since the backend would drop the event.
/// </summary>
internal static class FlowEventSender
{
    /// <summary>Looks <paramref name="instanceId"/> up and raises the event if it is not finished.</summary>
    public static async Task<EventDeliveryResult> RaiseIfRunningAsync(this DurableTaskClient client, string instanceId, string eventName, object payload, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return await client.RaiseIfRunningAsync(instance, eventName, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises the event on <paramref name="instance"/> (already looked up) if it exists and is not finished.</summary>
    public static async Task<EventDeliveryResult> RaiseIfRunningAsync(this DurableTaskClient client, OrchestrationMetadata? instance, string eventName, object payload, CancellationToken cancellationToken)
    {
        if (instance is null)
        {
            return EventDeliveryResult.Unknown;
        }

        if (FlowStatuses.IsFinished(instance.RuntimeStatus))
        {
            return EventDeliveryResult.Finished;
        }

        // The Azure Storage backend discards an event that reaches a flow before its start does ("No such instance"):
        // after a worker died holding the start, the event would be acted on first and lost. Asked again once it runs.
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            throw new FlowStartingException($"Flow '{instance.InstanceId}' has not started yet; send '{eventName}' again shortly.");
        }

        // A flow that ends between the look-up and this call drops the event: it could not have used it anyway.
        await client.RaiseEventAsync(instance.InstanceId, eventName, payload, cancellationToken).ConfigureAwait(false);
        return EventDeliveryResult.Delivered;
    }
}
