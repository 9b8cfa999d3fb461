namespace CinchFlows.DurableHub;

/// <summary>Where the engine keeps its state (configuration key <c>Durable:Store</c>).</summary>
public enum DurableStoreKind
{
    /// <summary>The Durable Task Azure Storage backend on <c>AzureWebJobsStorage</c>; the default.</summary>
    AzureStorage,

    /// <summary>In process memory: for quick demos and tests, nothing survives a restart.</summary>
    InMemory,
}
