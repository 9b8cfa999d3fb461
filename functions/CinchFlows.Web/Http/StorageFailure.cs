using Azure;
using Grpc.Core;

namespace CinchFlows.Web.Http;

/// <summary>Tells a storage outage (no answer, 5xx, throttling) apart from other failures, so it is answered 503, not 500.</summary>
internal static class StorageFailure
{
    /// <summary>True when <paramref name="exception"/> or one it wraps is a storage request that got no answer, a 5xx or a 429.</summary>
    /// <remarks>
    /// The SDK reports a request that outlived its network timeout as a cancellation; once its retries are spent they
    /// arrive inside an <see cref="AggregateException"/>. A cancellation on its own is the caller's and stays false.
    /// The engine's client reaches storage through the in-process hub over gRPC (docs/engine.md): a storage failure in
    /// the hub's handler arrives as <see cref="StatusCode.Unknown"/> (the hub's own refusals have their own codes, such as
    /// AlreadyExists), and a hub that cannot answer as Unavailable or DeadlineExceeded.
    /// </remarks>
    public static bool IsUnavailable(Exception? exception) => exception switch
    {
        null => false,
        RequestFailedException failed when failed.Status is 0 or 429 or >= 500 => true,
        RpcException rpc => rpc.StatusCode is StatusCode.Unknown or StatusCode.Unavailable or StatusCode.DeadlineExceeded,
        TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(inner => inner is OperationCanceledException || IsUnavailable(inner)),
        _ => IsUnavailable(exception.InnerException),
    };
}
