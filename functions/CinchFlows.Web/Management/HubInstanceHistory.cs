using System.Text.Json.Nodes;
using CinchFlows.DurableHub;

namespace CinchFlows.Web.Management;

/// <summary>History read from the standalone engine's backend (the hub serves history only to its worker).</summary>
internal sealed class HubInstanceHistory(HubHistory history) : IInstanceHistory
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<JsonObject>> GetAsync(string instanceId, CancellationToken cancellationToken) => history.GetAsync(instanceId, cancellationToken);

    /// <inheritdoc/>
    public void Forget(string instanceId) => history.Forget(instanceId);
}
