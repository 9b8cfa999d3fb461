using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Durable;

/// <summary>Settings of the durable runtime (configuration section <c>Durable</c>).</summary>
public sealed class DurableTaskOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Durable";

    /// <summary>Prefix of the table and queue names, so several apps can share an account. Default is "cinchflows".</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9]{2,30}$", ErrorMessage = "TaskHubName must be 3-31 lowercase letters and digits, starting with a letter.")]
    public string TaskHubName { get; set; } = "cinchflows";

    /// <summary>Times a message may be received before it goes to the poison queue. Default is 5.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a received message stays hidden while a worker handles it. Default is 2 minutes.</summary>
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many messages one receive takes. Default is 32 (the Azure Queues maximum).</summary>
    [Range(1, 32)]
    public int ReceiveBatchSize { get; set; } = 32;

    /// <summary>Poll interval right after work was found. Default is 50 milliseconds.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest poll interval when idle (local work and timers this worker knows of wake it sooner). Default is 2 seconds.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the sweeper looks for outboxes a crash left behind and for timers coming due. Default is 30 seconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old an undispatched outbox must be before the sweeper re-sends it. Default is 60 seconds.</summary>
    public TimeSpan OutboxRecoveryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Activities run in parallel per worker. Default is 64.</summary>
    /// <remarks>
    /// Activities here wait on I/O (commands, notifications, tables), so slots are cheap; one that finds every slot
    /// taken goes through the queue and costs four more storage requests. With 16 the benchmark's busy worker sent
    /// most of its activities that way (4.1 storage requests per step against 2.9 with 64).
    /// </remarks>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 64;

    /// <summary>Storage requests the worker's background work may have in flight at once; requests made for a caller (webhooks, API) are never held. Default is 4.</summary>
    /// <remarks>Keeps a webhook's round trips from queuing behind the worker's backlog when storage is the bottleneck.</remarks>
    [Range(1, 1000)]
    public int MaxBackgroundStorageRequests { get; set; } = 4;

    /// <summary>Run activities scheduled by this worker in-process right after the commit instead of through the queue (the outbox still covers a crash). Default is true.</summary>
    public bool RunActivitiesLocally { get; set; } = true;

    /// <summary>Instances whose history this worker keeps in memory between steps. Default is 2000.</summary>
    [Range(0, 1_000_000)]
    public int InstanceCacheSize { get; set; } = 2000;

    /// <summary>Times a step is retried after an ETag conflict before its message is released. Default is 10.</summary>
    [Range(1, 1000)]
    public int MaxConflictRetries { get; set; } = 10;
}
