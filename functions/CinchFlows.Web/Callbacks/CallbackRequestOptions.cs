namespace CinchFlows.Web.Callbacks;

/// <summary>How the <c>callback-requests</c> queue is polled (configuration section <c>CallbackRequests</c>).</summary>
internal sealed class CallbackRequestOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "CallbackRequests";

    /// <summary>The suffix of the poison queue's name.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The storage queue other channels put callback requests on; its poison queue is this name plus <c>-poison</c>. Default is "callback-requests".</summary>
    public string QueueName { get; set; } = "callback-requests";

    /// <summary>Times a message may be received before it goes to the poison queue. Default is 5.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a received message stays hidden while it is handled. Default is 1 minute.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a message that failed for a passing reason (storage) waits before its next attempt. Default is 10 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Poll interval right after messages were found. Default is 100 milliseconds.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest poll interval when the queue stays empty (it doubles up to this). Default is 5 seconds.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many messages one receive takes (1-32). Default is 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>The poison queue's name.</summary>
    public string PoisonQueueName => QueueName + PoisonSuffix;
}
