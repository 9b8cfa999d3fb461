using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace CinchFlows.Durable;

/// <summary>
/// The runtime's counters: storage requests (billed per request), orchestration steps, activities and polls. Published
/// on the <c>CinchFlows.Durable</c> meter and kept as totals for the health endpoint, tests and benchmarks.
/// </summary>
public sealed class DurableMetrics : IDisposable
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "CinchFlows.Durable";

    /// <summary>The component of the runtime's own storage requests (its store); other users of the account name themselves.</summary>
    public const string RuntimeComponent = "runtime";

    private readonly Meter meter;
    private readonly Counter<long> storageRequests;
    private readonly Counter<long> steps;
    private readonly Counter<long> activities;
    private readonly Counter<long> conflicts;
    private readonly Histogram<double> timerLateness;
    private readonly Counter<long> started;
    private readonly Counter<long> finished;
    private long storageRequestTotal;
    private long stepTotal;
    private long activityTotal;
    private long conflictTotal;
    private long emptyPollTotal;
    private readonly ConcurrentDictionary<string, StrongBox<long>> storageRequestsByComponent = new(StringComparer.Ordinal);

    /// <summary>Creates the meter (optionally through a factory so hosts can collect it).</summary>
    public DurableMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        storageRequests = meter.CreateCounter<long>("cinchflows.storage.requests", "{request}", "Requests sent to Azure Storage (tables and queues).");
        steps = meter.CreateCounter<long>("cinchflows.orchestration.steps", "{step}", "Orchestration steps committed.");
        activities = meter.CreateCounter<long>("cinchflows.activity.executions", "{execution}", "Activities run.");
        conflicts = meter.CreateCounter<long>("cinchflows.orchestration.conflicts", "{conflict}", "Steps retried after an ETag conflict.");
        timerLateness = meter.CreateHistogram<double>("cinchflows.timer.lateness", "s", "How late durable timers fire.");
        started = meter.CreateCounter<long>("cinchflows.orchestrations.started", "{instance}", "Orchestration instances started, by orchestration (flow type).");
        finished = meter.CreateCounter<long>("cinchflows.orchestrations.finished", "{instance}", "Orchestration instances that ended, by orchestration and status (Completed, Failed, Terminated).");
    }

    /// <summary>Storage requests so far.</summary>
    public long StorageRequests => Interlocked.Read(ref storageRequestTotal);

    /// <summary>Storage requests so far per component (<see cref="RuntimeComponent"/>, webhook receipts, notifications, …).</summary>
    public IReadOnlyDictionary<string, long> StorageRequestsByComponent =>
        storageRequestsByComponent.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    /// <summary>Orchestration steps committed so far.</summary>
    public long Steps => Interlocked.Read(ref stepTotal);

    /// <summary>Activities run so far.</summary>
    public long Activities => Interlocked.Read(ref activityTotal);

    /// <summary>ETag conflicts so far.</summary>
    public long Conflicts => Interlocked.Read(ref conflictTotal);

    /// <summary>Polls that found nothing so far.</summary>
    public long EmptyPolls => Interlocked.Read(ref emptyPollTotal);

    /// <summary>Counts one storage request of the given service ("table" or "queue") and method, sent by <paramref name="component"/>.</summary>
    public void StorageRequest(string service, string method, string component = RuntimeComponent)
    {
        Interlocked.Increment(ref storageRequestTotal);
        Interlocked.Increment(ref storageRequestsByComponent.GetOrAdd(component, _ => new StrongBox<long>()).Value);
        storageRequests.Add(
            1,
            new KeyValuePair<string, object?>("service", service),
            new KeyValuePair<string, object?>("method", method),
            new KeyValuePair<string, object?>("component", component));
    }

    /// <summary>Counts a committed step.</summary>
    public void StepCommitted(string orchestrationName)
    {
        Interlocked.Increment(ref stepTotal);
        steps.Add(1, new KeyValuePair<string, object?>("orchestration", orchestrationName));
    }

    /// <summary>Counts an activity run.</summary>
    public void ActivityRun(string activityName, bool succeeded)
    {
        Interlocked.Increment(ref activityTotal);
        activities.Add(1, new KeyValuePair<string, object?>("activity", activityName), new KeyValuePair<string, object?>("succeeded", succeeded));
    }

    /// <summary>Counts an ETag conflict.</summary>
    public void Conflict()
    {
        Interlocked.Increment(ref conflictTotal);
        conflicts.Add(1);
    }

    /// <summary>Counts an instance's first step.</summary>
    public void OrchestrationStarted(string orchestrationName) => started.Add(1, new KeyValuePair<string, object?>("orchestration", orchestrationName));

    /// <summary>Counts an instance that ended, by how.</summary>
    public void OrchestrationFinished(string orchestrationName, OrchestrationRuntimeStatus status) =>
        finished.Add(1, new KeyValuePair<string, object?>("orchestration", orchestrationName), new KeyValuePair<string, object?>("status", status.ToString()));

    /// <summary>Counts a poll that found nothing.</summary>
    public void EmptyPoll() => Interlocked.Increment(ref emptyPollTotal);

    /// <summary>Records how late a timer fired.</summary>
    public void TimerFired(TimeSpan lateness) => timerLateness.Record(Math.Max(0, lateness.TotalSeconds));

    /// <inheritdoc/>
    public void Dispose() => meter.Dispose();
}
