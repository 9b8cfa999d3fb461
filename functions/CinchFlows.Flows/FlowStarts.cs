using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Flows;

/// <summary>
/// The one way every flow is started (<see cref="CallCenterFlowClient"/> and <see cref="Shared.StartFlowActivity"/>):
/// a start never replaces a flow. On the Durable Task Azure Storage backend, scheduling an instance id that exists
/// replaces the running instance unless dedupe statuses are given, and with them the start is dropped silently (no
/// exception). So the id is looked up first, and an existing flow is answered as "not created" with nothing scheduled.
/// </summary>
public static class FlowStarts
{
    /// <summary>Every status the SDK accepts for dedupe: no existing instance, in any state, may be replaced.</summary>
    private static readonly OrchestrationRuntimeStatus[] EveryStatus = [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses];

    /// <summary>
    /// Schedules <paramref name="name"/> under <paramref name="instanceId"/> unless an instance with that id exists
    /// (running or finished); then nothing is scheduled and <see cref="StartResult.Created"/> is false.
    /// </summary>
    /// <remarks>
    /// The dedupe statuses guard the race between two concurrent starts of one id: the backends that refuse such a
    /// start answer "already exists" (<see cref="OrchestrationAlreadyExistsException"/>, which the gRPC client makes of
    /// the server's <c>AlreadyExists</c>), and that is answered as "not created" too.
    /// </remarks>
    public static async Task<StartResult> StartOnceAsync(this DurableTaskClient client, TaskName name, object? input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new StartResult(instanceId, Created: false);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                name, input, new StartOrchestrationOptions(instanceId).WithDedupeStatuses(EveryStatus), cancellationToken).ConfigureAwait(false);
            return new StartResult(instanceId, Created: true);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return new StartResult(instanceId, Created: false);
        }
    }
}
