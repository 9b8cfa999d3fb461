using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;

namespace CinchFlows.Functions.Hosting;

/// <summary>
/// The one <see cref="DurableTaskClient"/> the shared handlers and stores are built with in the Functions app. The
/// Durable extension hands its client to a function only through the <c>[DurableClient]</c> binding, not through
/// dependency injection, so every function that may reach the engine binds one and passes it to <see cref="Bind"/>
/// before it calls a handler; this client forwards to it.
/// </summary>
internal sealed class BoundDurableTaskClient() : DurableTaskClient("functions")
{
    private volatile DurableTaskClient? inner;

    /// <summary>True once a function has bound the extension's client.</summary>
    public bool IsBound => inner is not null;

    /// <inheritdoc/>
    public override DurableEntityClient Entities => Inner.Entities;

    private DurableTaskClient Inner => inner ?? throw new InvalidOperationException(
        "No Durable Task client is bound yet: a function must take [DurableClient] DurableTaskClient and pass it to BoundDurableTaskClient.Bind first.");

    /// <summary>Uses <paramref name="client"/> from now on (the extension's client of this invocation).</summary>
    public void Bind(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!ReferenceEquals(client, this))
        {
            inner = client;
        }
    }

    /// <inheritdoc/>
    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        Inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    /// <inheritdoc/>
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        Inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

    /// <inheritdoc/>
    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    /// <inheritdoc/>
    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    /// <inheritdoc/>
    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Inner.TerminateInstanceAsync(instanceId, options, cancellation);

    /// <inheritdoc/>
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Inner.SuspendInstanceAsync(instanceId, reason, cancellation);

    /// <inheritdoc/>
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Inner.ResumeInstanceAsync(instanceId, reason, cancellation);

    /// <inheritdoc/>
    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Inner.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    /// <inheritdoc/>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Inner.GetAllInstancesAsync(filter);

    /// <inheritdoc/>
    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Inner.PurgeInstanceAsync(instanceId, options, cancellation);

    /// <inheritdoc/>
    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Inner.PurgeAllInstancesAsync(filter, options, cancellation);

    /// <inheritdoc/>
    public override Task<IList<DurableTask.Core.History.HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        Inner.GetOrchestrationHistoryAsync(instanceId, cancellation);

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() =>

        // The extension owns the client it bound; nothing of ours to release.
        ValueTask.CompletedTask;
}
