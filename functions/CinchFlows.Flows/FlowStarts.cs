using CinchFlows.Flows.Starts;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Flows;

/// <summary>
/// The one way every flow is started (<see cref="CallCenterFlowClient"/> and <see cref="Shared.StartFlowActivity"/>):
/// a start never replaces a flow. On the Durable Task Azure Storage backend, scheduling an instance id that exists
/// replaces the running instance unless dedupe statuses are given, and with them the start is dropped silently (no
/// exception); and two starts of one id at once can both get through (<see cref="IStartClaims"/>). So the id is looked
/// up first, starts of one id take turns, and an existing flow is answered as "not created" with nothing scheduled.
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
    /// Concurrent starts of one id take turns through <paramref name="claims"/> (why: <see cref="IStartClaims"/>): the
    /// one holding the claim looks the id up and schedules; the others find the flow, or, while the holder is still at
    /// it, get <see cref="FlowStartingException"/> (a 503 asking to try again shortly). The dedupe statuses
    /// stay as a second guard: a backend that refuses a start for an existing id answers "already exists"
    /// (<see cref="OrchestrationAlreadyExistsException"/>), and that is answered as "not created" too.
    /// </remarks>
    /// <exception cref="FlowStartingException">Another caller is starting this id right now.</exception>
    public static async Task<StartResult> StartOnceAsync(this DurableTaskClient client, IStartClaims claims, TaskName name, object? input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var claim = await claims.TryClaimAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return await ExistsAsync(client, instanceId, cancellationToken).ConfigureAwait(false)
                ? new StartResult(instanceId, Created: false)
                : throw new FlowStartingException($"Flow '{instanceId}' is being started by another request; try again shortly.");
        }

        try
        {
            // Looked up under the claim, so no other start of this id can get between the look and the schedule.
            if (await ExistsAsync(client, instanceId, cancellationToken).ConfigureAwait(false))
            {
                return new StartResult(instanceId, Created: false);
            }

            await client.ScheduleNewOrchestrationInstanceAsync(
                name, input, new StartOrchestrationOptions(instanceId).WithDedupeStatuses(EveryStatus), cancellationToken).ConfigureAwait(false);
            return new StartResult(instanceId, Created: true);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return new StartResult(instanceId, Created: false);
        }
        finally
        {
            await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<bool> ExistsAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null;
}
