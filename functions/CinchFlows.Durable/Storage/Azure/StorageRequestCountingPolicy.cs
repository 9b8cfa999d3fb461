using Azure.Core;
using Azure.Core.Pipeline;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>Counts every HTTP attempt to storage (added per retry, so retries count too: each one is billed).</summary>
internal sealed class StorageRequestCountingPolicy(DurableMetrics metrics, string service, string component) : HttpPipelinePolicy
{
    /// <inheritdoc/>
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    /// <inheritdoc/>
    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message) => metrics.StorageRequest(service, message.Request.Method.Method, component);
}
