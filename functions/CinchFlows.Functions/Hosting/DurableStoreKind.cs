namespace CinchFlows.Functions.Hosting;

/// <summary>Where the durable runtime keeps its state (configuration key <c>Durable:Store</c>).</summary>
internal enum DurableStoreKind
{
    /// <summary>Azure Storage tables and queues at <c>AzureWebJobsStorage</c>; the default.</summary>
    AzureStorage,

    /// <summary>In process memory: for quick demos, nothing survives a restart.</summary>
    InMemory,
}
