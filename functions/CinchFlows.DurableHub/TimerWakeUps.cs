using System.Collections;
using System.Reflection;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace CinchFlows.DurableHub;

/// <summary>
/// Wakes the Azure Storage backend's control-queue poller of a durable timer's partition when the timer comes due, so
/// that a worker whose polling has backed off to <see cref="DurableHubOptions.MaxQueuePollingInterval"/> still acts on the timer
/// within a fraction of a second instead of up to a whole interval late (docs/engine.md, "The hub's adapter").
/// </summary>
/// <remarks>
/// A durable timer is a control-queue message the backend sends with a visibility delay; the backend wakes its poller
/// when it sends a message, but not when a delayed one becomes visible, so an idle worker finds it on its next poll.
/// DurableTask.AzureStorage 2.11.3 has no public way to wake the poller; this uses the same internal
/// <c>BackoffPollingHelper.Reset()</c> its own sends call, found by reflection on the pinned version. If that is not
/// found (another version), timers fall back to polling and <see cref="IsAvailable"/> says so. Only timers set by this
/// process are known: after a restart, or on a partition another worker took over, timers come by polling as before.
/// Only the timer's own control queue is woken (the backend's poller then polls again from its shortest interval and
/// backs off anew, which it would do anyway once it received the timer), and only if this worker still owns it. Due
/// times are gathered to the next 100 ms, so timers coming due together cost one wake-up per queue.
/// </remarks>
internal sealed class TimerWakeUps : IDisposable
{
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private static readonly PropertyInfo? OwnedControlQueues = typeof(AzureStorageOrchestrationService)
        .GetProperty("OwnedControlQueues", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly FieldInfo? BackoffHelper = typeof(AzureStorageOrchestrationService).Assembly
        .GetType("DurableTask.AzureStorage.Messaging.TaskHubQueue")
        ?.GetField("backoffHelper", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly MethodInfo? Reset = BackoffHelper?.FieldType.GetMethod("Reset", BindingFlags.Instance | BindingFlags.Public, Type.EmptyTypes);

    private static readonly MethodInfo? ControlQueueOf = typeof(AzureStorageOrchestrationService)
        .GetMethod("GetControlQueueAsync", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(string)]);

    private static readonly PropertyInfo? ControlQueueResult = ControlQueueOf?.ReturnType.GetProperty("Result");

    private static readonly PropertyInfo? QueueName = BackoffHelper?.DeclaringType?.GetProperty("Name", BindingFlags.Instance | BindingFlags.Public);

    private readonly AzureStorageOrchestrationService backend;
    private readonly TimeProvider time;
    private readonly ITimer timer;
    private readonly SortedDictionary<DateTime, HashSet<string>> due = [];
    private readonly object gate = new();
    private long wakeUps;
    private bool disposed;

    public TimerWakeUps(AzureStorageOrchestrationService backend, TimeProvider? time = null, ILogger? logger = null)
    {
        this.backend = backend;
        this.time = time ?? TimeProvider.System;
        timer = this.time.CreateTimer(_ => WakeDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!IsAvailable && logger is not null)
        {
            DurableHubLog.TimerWakeUpsUnavailable(logger);
        }
    }

    /// <summary>Whether this version of the backend can be woken (else timers come by polling alone).</summary>
    public static bool IsAvailable => OwnedControlQueues is not null && BackoffHelper is not null && Reset is not null && ControlQueueOf is not null && ControlQueueResult is not null && QueueName is not null;

    /// <summary>How many due times (gathered per 100 ms) have come and woken their timers' control queues.</summary>
    public long WakeUps => Interlocked.Read(ref wakeUps);

    /// <summary>Due times (gathered per 100 ms) still to come.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return due.Count;
            }
        }
    }

    /// <summary>Wakes the poller of <paramref name="instanceId"/>'s control queue at <paramref name="fireAtUtc"/> (rounded up to the next 100 ms).</summary>
    public void At(DateTime fireAtUtc, string instanceId)
    {
        if (!IsAvailable)
        {
            return;
        }

        var ticks = Granularity.Ticks;
        var at = new DateTime((fireAtUtc.Ticks + ticks - 1) / ticks * ticks, DateTimeKind.Utc);
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            if (due.TryGetValue(at, out var instances))
            {
                instances.Add(instanceId);
                return;
            }

            due.Add(at, new HashSet<string>(StringComparer.Ordinal) { instanceId });
            if (due.First().Key == at)
            {
                Arm();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            due.Clear();
        }

        timer.Dispose();
    }

    // Under the lock: the timer set for the earliest due time.
    private void Arm()
    {
        if (due.Count == 0)
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // A timer cannot wait longer than about 49 days; one far off is looked at again after a day.
        var wait = due.First().Key - time.GetUtcNow().UtcDateTime;
        timer.Change(wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait, Timeout.InfiniteTimeSpan);
    }

    private void WakeDue()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var instances = new HashSet<string>(StringComparer.Ordinal);
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            while (due.Count > 0 && due.First() is var (at, ids) && at <= now)
            {
                due.Remove(at);
                instances.UnionWith(ids);
                Interlocked.Increment(ref wakeUps);
            }

            Arm();
        }

        if (instances.Count > 0)
        {
            _ = WakeAsync(instances);
        }
    }

    private async Task WakeAsync(HashSet<string> instances)
    {
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var instanceId in instances)
            {
                if (ControlQueueOf!.Invoke(backend, [instanceId]) is Task queue)
                {
                    await queue.ConfigureAwait(false);
                    if (ControlQueueResult!.GetValue(queue) is { } controlQueue && QueueName!.GetValue(controlQueue) is string name)
                    {
                        names.Add(name);
                    }
                }
            }

            WakeOwnedControlQueues(names);
        }
        catch (Exception ex) when (ex is TargetInvocationException or InvalidOperationException or Azure.RequestFailedException)
        {
            // Polling still finds the timer, at most one interval late.
        }
    }

    private void WakeOwnedControlQueues(HashSet<string> names)
    {
        try
        {
            if (OwnedControlQueues!.GetValue(backend) is not IEnumerable queues)
            {
                return;
            }

            foreach (var queue in queues)
            {
                if (QueueName!.GetValue(queue) is string name && names.Contains(name) && BackoffHelper!.GetValue(queue) is { } helper)
                {
                    Reset!.Invoke(helper, null);
                }
            }
        }
        catch (Exception ex) when (ex is TargetInvocationException or InvalidOperationException)
        {
            // The backend changed its queues while we looked (a partition taken or released): polling still finds the
            // timer, at most one interval late.
        }
    }
}
