using Azure.Core;
using Azure.Core.Pipeline;

namespace CinchFlows.Storage;

/// <summary>Counts every HTTP attempt of one component's storage client (added per retry, so retries count too).</summary>
internal sealed class StorageRequestCountingPolicy(StorageRequestCounter counter, string component) : HttpPipelinePolicy
{
    /// <inheritdoc/>
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        counter.Add(component);
        ProcessNext(message, pipeline);
    }

    /// <inheritdoc/>
    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        counter.Add(component);
        return ProcessNextAsync(message, pipeline);
    }
}
