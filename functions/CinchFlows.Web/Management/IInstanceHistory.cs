using System.Text.Json.Nodes;

namespace CinchFlows.Web.Management;

/// <summary>Where the management API reads an instance's history (the standalone host reads the backend directly).</summary>
internal interface IInstanceHistory
{
    /// <summary>The history events as JSON objects in the backend's field names, oldest first; empty when none.</summary>
    Task<IReadOnlyList<JsonObject>> GetAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Forgets anything kept about a purged instance.</summary>
    void Forget(string instanceId);
}
