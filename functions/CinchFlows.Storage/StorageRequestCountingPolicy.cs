using Azure.Core;
using Azure.Core.Pipeline;

namespace CinchFlows.Storage;

/// <summary>
/// Counts every HTTP attempt of one component's storage client (added per retry, so retries count too), and tells the
/// counter whether storage answered it.
/// </summary>
internal sealed class StorageRequestCountingPolicy(StorageRequestCounter counter, string component) : HttpPipelinePolicy
{
    /// <inheritdoc/>
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        counter.Add(component);
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception ex) when (IsStorageFailure(message, ex))
        {
            counter.Failed(Gist(ex));
            throw;
        }

        Record(message);
    }

    /// <inheritdoc/>
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        counter.Add(component);
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageFailure(message, ex))
        {
            counter.Failed(Gist(ex));
            throw;
        }

        Record(message);
    }

    // A request its caller gave up on says nothing about storage; a network timeout or a refused connection does.
    private static bool IsStorageFailure(HttpMessage message, Exception ex) =>
        !message.CancellationToken.IsCancellationRequested && ex is not ObjectDisposedException;

    private static string Gist(Exception ex) =>
        ex is OperationCanceledException ? "no answer within the network timeout" : ex.GetBaseException().Message.Split('\n', 2)[0].Trim();

    private void Record(HttpMessage message)
    {
        if (message.HasResponse && message.Response.Status >= 500)
        {
            counter.Failed($"answered {message.Response.Status}");
        }
        else
        {
            counter.Answered();
        }
    }
}
