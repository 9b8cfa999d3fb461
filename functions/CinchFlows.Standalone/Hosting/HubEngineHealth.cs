using CinchFlows.DurableHub;
using CinchFlows.Web.Health;

namespace CinchFlows.Standalone.Hosting;

/// <summary>The in-process engine's health: its hub listens, its backend's storage answers, and what it has done.</summary>
internal sealed class HubEngineHealth(HubHealth hub, EngineCounters counters) : IEngineHealth
{
    /// <inheritdoc/>
    public string Store => hub.Store.ToString();

    /// <inheritdoc/>
    public bool Ready => hub.HubListening;

    /// <inheritdoc/>
    public long Steps => counters.Steps;

    /// <inheritdoc/>
    public long Activities => counters.Activities;

    /// <inheritdoc/>
    public long EmptyPolls => counters.EmptyPolls;

    /// <inheritdoc/>
    public Task CheckStorageAsync(CancellationToken cancellationToken) => hub.CheckStorageAsync(cancellationToken);
}
