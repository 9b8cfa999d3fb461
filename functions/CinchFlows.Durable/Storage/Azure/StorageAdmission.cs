using Azure.Core;
using Azure.Core.Pipeline;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>
/// Bounds how many storage requests the worker's background work (polls, steps, activities, sweeps) has in flight, so
/// the requests made for a caller (a webhook's receipt and start, an API call) never queue behind a backlog of them.
/// </summary>
/// <remarks>
/// A storage account serves requests roughly in arrival order: when the worker has hundreds in flight, a webhook's four
/// round trips each wait behind all of them. Background work is marked with <see cref="EnterBackground"/> (an async-local
/// flag, so whatever that work starts inherits it); requests without the mark are never held.
/// </remarks>
#pragma warning disable CA1001 // Requests still in flight release into the semaphore after the worker stops; it holds no wait handle unless one is asked for.
public sealed class StorageAdmission
#pragma warning restore CA1001
{
    private static readonly AsyncLocal<StorageAdmission?> Current = new();

    private readonly SemaphoreSlim slots;

    /// <summary>Creates a gate that lets <paramref name="limit"/> background requests through at once.</summary>
    public StorageAdmission(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        slots = new SemaphoreSlim(limit, limit);
    }

    /// <summary>Marks the calling flow (and all it starts) as background work held by this gate, until disposed.</summary>
    public IDisposable EnterBackground()
    {
        var previous = Current.Value;
        Current.Value = this;
        return new Scope(previous);
    }

    /// <summary>The pipeline policy that applies whichever gate the request's flow is marked with.</summary>
    internal static HttpPipelinePolicy Policy { get; } = new AdmissionPolicy();

    private sealed class Scope(StorageAdmission? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }

    private sealed class AdmissionPolicy : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Current.Value is not { } gate)
            {
                ProcessNext(message, pipeline);
                return;
            }

            gate.slots.Wait(message.CancellationToken);
            try
            {
                ProcessNext(message, pipeline);
            }
            finally
            {
                gate.slots.Release();
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Current.Value is not { } gate)
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
            }

            await gate.slots.WaitAsync(message.CancellationToken).ConfigureAwait(false);
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            finally
            {
                gate.slots.Release();
            }
        }
    }
}
