using System.ComponentModel.DataAnnotations;

namespace CinchFlows.DurableHub;

/// <summary>Settings of the Durable Task engine in the standalone host (configuration section <c>Durable</c>).</summary>
public sealed class DurableHubOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Durable";

    /// <summary>Where flows are kept: <c>AzureStorage</c> (the Durable Task Azure Storage backend), or <c>InMemory</c> for a throwaway demo. Default is AzureStorage.</summary>
    public DurableStoreKind Store { get; set; } = DurableStoreKind.AzureStorage;

    /// <summary>
    /// The task hub: the prefix of the backend's tables (<c>{hub}Instances</c>, <c>{hub}History</c>, <c>{hub}Partitions</c>),
    /// queues (<c>{hub}-control-NN</c>, <c>{hub}-workitems</c>) and blob containers, and of the app's own tables. Default is "cinchflows".
    /// </summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9]{2,30}$", ErrorMessage = "TaskHubName must be 3-31 lowercase letters and digits, starting with a letter.")]
    public string TaskHubName { get; set; } = "cinchflows";

    /// <summary>
    /// Control-queue partitions: the most workers that can share the orchestrations of one hub. Fixed when the hub is
    /// first created; changing it later needs a new hub. Default is 4.
    /// </summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// The longest an idle worker waits between polls of its queues. Shorter: an idle flow reacts sooner (a start, an
    /// event, a timer) but an idle worker sends more storage requests. Default is 5 seconds (the backend's own default is
    /// 30): the idle cost goal is at most 120 storage requests a minute per worker, and measured with 4 partitions an idle
    /// worker sent 342 a minute at 1 s, 192 at 2 s and 106 at 5 s, while a transfer after 20 s of quiet (168 / 163 ms
    /// median) and webhook to transfer (p99 295 / 287 ms) stayed about the same at 1 s and 5 s, well inside the 1-s goal
    /// (single runs). What it costs: a timer coming due on a quiet worker waits for the next poll (40 timers of 20 s:
    /// at most 1.3 s late at 5 s, 1.0 s at 2 s). Set 2 s where seconds matter more than idle requests. The measurements
    /// are in docs/performance.md's tuning table.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Messages one poll takes from a control queue (the backend's <c>ControlQueueBatchSize</c>). 1 to 32, the most
    /// Azure Storage queues hand out at once. Default (null) is the backend's own, 32.
    /// </summary>
    [Range(1, 32)]
    public int? ControlQueueBatchSize { get; set; }

    /// <summary>
    /// Control-queue messages a worker keeps in memory before it stops taking more (the backend's
    /// <c>ControlQueueBufferThreshold</c>). Lower bounds a worker's memory and leaves more for the others; higher lets a
    /// burst through faster. 1 to 1000. Default (null) is the backend's own, 64.
    /// </summary>
    [Range(1, 1000)]
    public int? ControlQueueBufferThreshold { get; set; }

    /// <summary>
    /// The backend's extended sessions (<c>ExtendedSessionsEnabled</c>): it keeps an orchestration's state in memory for
    /// a dispatcher that asks the open session for the next messages instead of reading the history again. The in-process
    /// hub's dispatcher (the Durable Task sidecar's) does not ask, so on the standalone host a flow's next message waits
    /// for the open session to close: measured, the warm-transfer p99 went from 197 ms to 3.4 s (docs/performance.md,
    /// "Tuning the engine"). Default is false (the backend property is then left alone).
    /// </summary>
    public bool ExtendedSessions { get; set; }

    /// <summary>
    /// Wake the backend's control-queue pollers when a durable timer this worker set comes due, so a timer is acted on
    /// within a fraction of a second even when polling has backed off to <see cref="MaxQueuePollingInterval"/> (Azure
    /// Storage backend; timers set before a restart or on another worker still come by polling). Default is true.
    /// </summary>
    public bool WakeOnTimers { get; set; } = true;

    /// <summary>Activities this worker runs at once. They wait on I/O (commands, notifications, tables), so slots are cheap. Default is 32.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Orchestration steps this worker runs at once. Default is 100.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>
    /// How long a message a worker took stays hidden from the others. A worker that dies holding messages leaves them
    /// hidden this long. Nothing renews a message a live worker holds (the in-process hub's dispatcher never asks the
    /// backend to), so one that waits longer than this in the worker's buffer or step is taken a second time: each
    /// delivery raises its count, and the backend hides a message it puts back for 2^count seconds (at most 10 minutes).
    /// Default is 1 minute (the backend's own default is 5).
    /// </summary>
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the backend's partition manager may take to read and write the partition table (<c>{hub}Partitions</c>)
    /// before it gives up and tries again at once. A worker renews its leases this way every 10 s, and a lease not renewed
    /// for 30 s is taken over by another worker while its owner still runs the partition's messages until its next
    /// successful read: two workers then run steps of the same flows. The backend's 2 s cut every renewal on a saturated
    /// store for 90 s in a row in the 3-worker chaos run (docs/reliability.md), and each cut attempt was sent again at
    /// once. 1–20 s, well inside the 30-s lease. Default is 10 seconds (the backend's own is 2).
    /// </summary>
    public TimeSpan PartitionTableOperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// This worker's name in the backend's partition leases. Workers on one hub must have different names; a worker
    /// restarted under its old name takes its leases back at once instead of waiting for them to expire. Default is the
    /// machine's name.
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// The flow version this worker runs up to, and the one new flows start on (docs/flows.md, "Changing a flow"). The
    /// worker takes no flow started on a newer version: it hands it back to the queue for a worker that knows it. Must be
    /// one of the versions the host's flows know. Default is the newest of them.
    /// </summary>
    public string? Version { get; set; }
}
