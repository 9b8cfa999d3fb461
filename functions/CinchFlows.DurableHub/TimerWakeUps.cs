using System.Collections;
using System.Reflection;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace CinchFlows.DurableHub;

/// <summary>
/// Wakes the Azure Storage backend's control-queue pollers when a durable timer this worker set comes due, so that a
/// worker whose polling has backed off to <see cref="DurableHubOptions.MaxQueuePollingInterval"/> still acts on the timer
/// within a fraction of a second instead of up to a whole interval late (docs/engine.md, "The hub's adapter").
/// </summary>
/// <remarks>
/// A durable timer is a control-queue message the backend sends with a visibility delay; the backend wakes its poller
/// when it sends a message, but not when a delayed one becomes visible, so an idle worker finds it on its next poll.
/// DurableTask.AzureStorage 2.11.3 has no public way to wake the poller; this uses the same internal
/// <c>BackoffPollingHelper.Reset()</c> its own sends call, found by reflection on the pinned version. If that is not
/// found (another version), timers fall back to polling and <see cref="IsAvailable"/> says so. Only timers set by this
/// process are known: after a restart, or on a partition another worker took over, timers come by polling as before.
/// Due times are gathered to the next 100 ms, so timers coming due together cost one wake-up.
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

    private readonly AzureStorageOrchestrationService backend;
    private readonly TimeProvider time;
    private readonly ITimer timer;
    private readonly SortedSet<DateTime> due = [];
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
    public static bool IsAvailable => OwnedControlQueues is not null && BackoffHelper is not null && Reset is not null;

    /// <summary>How many times the pollers were woken for timers that came due.</summary>
    public long WakeUps => Interlocked.Read(ref wakeUps);

    /// <summary>Timers (UTC due times) waiting to wake the pollers.</summary>
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

    /// <summary>Wakes the pollers at <paramref name="fireAtUtc"/> (rounded up to the next 100 ms).</summary>
    public void At(DateTime fireAtUtc)
    {
        if (!IsAvailable)
        {
            return;
        }

        var ticks = Granularity.Ticks;
        var at = new DateTime((fireAtUtc.Ticks + ticks - 1) / ticks * ticks, DateTimeKind.Utc);
        lock (gate)
        {
            if (disposed || !due.Add(at) || due.Min != at)
            {
                return;
            }

            Arm();
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
        var wait = due.Min - time.GetUtcNow().UtcDateTime;
        timer.Change(wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait, Timeout.InfiniteTimeSpan);
    }

    private void WakeDue()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var wake = false;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            while (due.Count > 0 && due.Min <= now)
            {
                due.Remove(due.Min);
                wake = true;
            }

            Arm();
        }

        if (wake)
        {
            WakeOwnedControlQueues();
        }
    }

    private void WakeOwnedControlQueues()
    {
        try
        {
            if (OwnedControlQueues!.GetValue(backend) is not IEnumerable queues)
            {
                return;
            }

            foreach (var queue in queues)
            {
                if (BackoffHelper!.GetValue(queue) is { } helper)
                {
                    Reset!.Invoke(helper, null);
                }
            }

            Interlocked.Increment(ref wakeUps);
        }
        catch (Exception ex) when (ex is TargetInvocationException or InvalidOperationException)
        {
            // The backend changed its queues while we looked (a partition taken or released): polling still finds the
            // timer, at most one interval late.
        }
    }
}
