using CinchFlows.Durable.Hosting;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.Durable.Worker;

/// <summary>
/// Runs orchestration steps and activities for messages from the work queue. The standalone host drives it with
/// <see cref="DurableWorkerService"/>; tests drive it directly; the Functions custom handler hands it one message at a time.
/// </summary>
public sealed partial class OrchestrationWorker : IDisposable
{
    /// <summary>Early timer messages (queue delays are whole seconds) are held in memory up to this long rather than re-queued.</summary>
    private static readonly TimeSpan HoldEarlyTimersUpTo = TimeSpan.FromSeconds(5);

    /// <summary>Most characters of received messages handled in one step, so its history row stays well under 1 MiB.</summary>
    private const int MaxStepInputChars = 160 * 1024;

    private readonly IOrchestrationStore store;
    private readonly DurableTaskRegistry registry;
    private readonly IServiceProvider services;
    private readonly DurableTaskOptions options;
    private readonly TimeProvider timeProvider;
    private readonly DurableMetrics metrics;
    private readonly WorkSignal signal;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly InstanceCache cache;
    private readonly KeyedLock instanceLocks = new();
    private readonly SemaphoreSlim activitySlots;
    private readonly BackgroundWork background = new();
    private readonly WakeUpScheduler wakeUps;
    private readonly HeldMessages held;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource draining = new();
    private int disposed;

    /// <summary>Creates a worker.</summary>
    public OrchestrationWorker(
        IOrchestrationStore store,
        DurableTaskRegistry registry,
        IServiceProvider services,
        IOptions<DurableTaskOptions> options,
        TimeProvider timeProvider,
        DurableMetrics metrics,
        WorkSignal signal,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.store = store;
        this.registry = registry;
        this.services = services;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.metrics = metrics;
        this.signal = signal;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<OrchestrationWorker>();
        cache = new InstanceCache(this.options.InstanceCacheSize);
        activitySlots = new SemaphoreSlim(this.options.MaxConcurrentActivities, this.options.MaxConcurrentActivities);
        wakeUps = new WakeUpScheduler(timeProvider, signal);
        held = new HeldMessages(store, timeProvider, this.options.MessageVisibilityTimeout);
    }

    /// <summary>Background work (local activities, held timers) still running.</summary>
    public int BackgroundWorkCount => background.Running;

    /// <summary>For crash tests: when set, committed outbox messages are not dispatched (as if the process died right after the commit).</summary>
    internal bool SkipDispatchAfterCommit { get; set; }

    /// <summary>Receives one batch from the queue and handles it; returns how many messages were received.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        await held.RenewDueAsync(cancellationToken).ConfigureAwait(false);
        var received = await store.ReceiveAsync(options.ReceiveBatchSize, options.MessageVisibilityTimeout, cancellationToken).ConfigureAwait(false);
        if (received.Count == 0)
        {
            metrics.EmptyPoll();
            return 0;
        }

        await HandleAsync(received, cancellationToken).ConfigureAwait(false);
        return received.Count;
    }

    /// <summary>Handles received messages: orchestration messages are stepped (grouped per instance), activities start in the background.</summary>
    public async Task HandleAsync(IReadOnlyList<ReceivedMessage> received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        var groups = new List<Task>();
        foreach (var unreadable in received.Where(m => m.Message is null))
        {
            await PoisonAsync(unreadable, unreadable.ReadError ?? "Unreadable message.", cancellationToken).ConfigureAwait(false);
        }

        // Received more often than allowed without ever failing cleanly: its handling keeps killing the worker
        // (a crash, an out-of-memory); running it again would take the next worker down too.
        var crashing = received.Where(m => m.Message is not null && m.DequeueCount > options.MaxDequeueCount).ToList();
        foreach (var message in crashing)
        {
            await PoisonAsync(message, $"Received {message.DequeueCount} times without being handled; the worker handling it may have crashed.", cancellationToken).ConfigureAwait(false);
        }

        received = [.. received.Where(m => m.Message is not null && m.DequeueCount <= options.MaxDequeueCount)];

        foreach (var activity in received.Where(m => m.Message is { Kind: WorkMessageKind.Activity }))
        {
            // The poll loop never waits for a slot, so orchestration steps behind a busy pool still run at once: the
            // activity waits in the background, kept hidden by the renewals (one request a minute while it waits).
            // A worker may so hold more queued activities than it can run at once; one step's fan-out is bounded by
            // the outbox budget, and a separate activity queue would share them out better among workers.
            if (activity.Receipt is not HostDelivery)
            {
                // The Functions host keeps a delivered message hidden itself while the invocation runs.
                held.Add(activity);
            }

            RunInBackground(activity, async () =>
            {
                await activitySlots.WaitAsync(stopping.Token).ConfigureAwait(false);
                await RunQueuedActivityAsync(activity).ConfigureAwait(false);
            });
        }

        var now = timeProvider.GetUtcNow();
        foreach (var group in received.Where(m => m.Message is { Kind: WorkMessageKind.Orchestration }).GroupBy(m => m.Message!.InstanceId))
        {
            var ready = new List<ReceivedMessage>();
            foreach (var message in group)
            {
                if (message.Message!.Event is TimerFiredEvent timer && timer.FireAt > now)
                {
                    groups.Add(HandleEarlyTimerAsync(message, timer, now, cancellationToken));
                }
                else
                {
                    ready.Add(message);
                }
            }

            if (ready.Count > 0)
            {
                groups.Add(StepInPartsAsync(group.Key, ready, cancellationToken));
            }
        }

        await Task.WhenAll(groups).ConfigureAwait(false);
    }

    /// <summary>Completes when no background work runs.</summary>
    public Task WhenIdleAsync() => background.WhenIdleAsync();

    /// <summary>
    /// The first half of a graceful stop: messages held in memory for a later time go back to the queue at once, while
    /// activities and steps already running finish (await <see cref="WhenIdleAsync"/>, then dispose). Safe to call twice.
    /// </summary>
    public void BeginDrain()
    {
        if (!draining.IsCancellationRequested)
        {
            draining.Cancel();
        }
    }

    /// <summary>
    /// A graceful stop: <see cref="BeginDrain"/>, wait until running work has committed or <paramref name="cancellationToken"/>
    /// (the host's shutdown timeout) fires, then <see cref="Dispose"/>; what still runs then is redone from the queue or the outbox.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        try
        {
            await WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout passed.
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Cancels background work (its messages stay on the queue or in the outbox and are handled again). Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // The token sources and semaphore are not disposed: background work that is still unwinding reads them.
        BeginDrain();
        stopping.Cancel();
        wakeUps.Dispose();
    }

    private async Task HandleEarlyTimerAsync(ReceivedMessage message, TimerFiredEvent timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (timer.FireAt - now > HoldEarlyTimersUpTo)
        {
            // A timer longer than the queue's longest delay arrives early: send it on for the rest of its wait.
            await store.SendAsync(message.Message!, cancellationToken).ConfigureAwait(false);
            await store.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        HoldThenStep(message.Message!.InstanceId, [message], timer.FireAt);
    }

    /// <summary>
    /// Holds received messages in memory until <paramref name="at"/>, then steps the instance with them. A worker that
    /// stops (or starts draining) first hands them back to the queue, due at their time, so the next worker fires them
    /// on time instead of after the visibility timeout.
    /// </summary>
    private void HoldThenStep(string instanceId, List<ReceivedMessage> messages, DateTimeOffset at) =>
        RunInBackground(messages.Count == 1 ? messages[0] : null, async () =>
        {
            try
            {
                await timeProvider.WaitUntilAsync(at, draining.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (draining.IsCancellationRequested)
            {
                await ReleaseHeldAsync(messages, at).ConfigureAwait(false);
                return;
            }

            await StepAndAcknowledgeAsync(instanceId, messages, stopping.Token).ConfigureAwait(false);
        });

    private async Task ReleaseHeldAsync(List<ReceivedMessage> messages, DateTimeOffset at)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var message in messages)
        {
            try
            {
                var wait = at - timeProvider.GetUtcNow();
                await store.ReleaseAsync(message, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort while stopping: a message not handed back reappears after its visibility timeout.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WorkerLog.ReleaseOnStopFailed(logger, message.Message?.Id, ex);
            }
        }
    }

    /// <summary>
    /// Steps an instance through its messages, several per step but no more than one history row holds: each message
    /// fits a queue message, yet 32 of them together would not fit one table entity.
    /// </summary>
    private async Task StepInPartsAsync(string instanceId, List<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var parts = new List<List<ReceivedMessage>> { new() };
        var size = 0;
        foreach (var message in messages)
        {
            if (parts[^1].Count > 0 && size + message.RawBody.Length > MaxStepInputChars)
            {
                parts.Add([]);
                size = 0;
            }

            parts[^1].Add(message);
            size += message.RawBody.Length;
        }

        for (var index = 0; index < parts.Count; index++)
        {
            var retryIn = await StepAndAcknowledgeAsync(instanceId, parts[index], cancellationToken).ConfigureAwait(false);
            if (retryIn is { } delay)
            {
                // Best effort at order: what came after a part that failed comes back after that part's first retry,
                // as fresh copies (a release would count towards poison for messages that did nothing wrong). Like the
                // queue itself, this promises no strict order across retries.
                foreach (var later in parts.Skip(index + 1).SelectMany(p => p))
                {
                    await store.SendAsync(later.Message! with { VisibleAt = timeProvider.GetUtcNow() + delay + TimeSpan.FromSeconds(1) }, cancellationToken).ConfigureAwait(false);
                    await store.DeleteAsync(later, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <summary>Steps the instance with the messages and deletes them; when the step failed, the delay before they come back (they were released or poisoned).</summary>
    private async Task<TimeSpan?> StepAndAcknowledgeAsync(string instanceId, IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            await StepAsync(instanceId, [.. messages.Select(m => m.Message!)], cancellationToken).ConfigureAwait(false);
        }
        catch (StartNotDueException notYet)
        {
            // Suspend and terminate act before a delayed start; the rest waits for the start time.
            var control = messages.Where(m => m.Message!.Event is ExecutionSuspendedEvent or ExecutionTerminatedEvent).ToList();
            var waiting = messages.Where(m => !control.Contains(m)).ToList();
            if (control.Count > 0 && await StepAndAcknowledgeAsync(instanceId, control, cancellationToken).ConfigureAwait(false) is { } controlRetry)
            {
                // Fresh copies after the control message's retry: these did nothing wrong and must not count towards poison.
                foreach (var message in waiting)
                {
                    await store.SendAsync(message.Message! with { VisibleAt = timeProvider.GetUtcNow() + controlRetry + TimeSpan.FromSeconds(1) }, cancellationToken).ConfigureAwait(false);
                    await store.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
                }

                return controlRetry;
            }

            if (waiting.Count == 0)
            {
                return null;
            }

            var wait = notYet.StartAt - timeProvider.GetUtcNow();
            if (wait <= HoldEarlyTimersUpTo)
            {
                // Nearly due: queue delays are whole seconds rounded down, so a re-send would come straight back.
                HoldThenStep(instanceId, waiting, notYet.StartAt);
                return null;
            }

            // Sent anew rather than released, so a long wait does not count towards poison.
            foreach (var message in waiting)
            {
                await store.SendAsync(message.Message! with { VisibleAt = notYet.StartAt }, cancellationToken).ConfigureAwait(false);
                await store.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var retryIn = TimeSpan.Zero;
            foreach (var message in messages)
            {
                var delay = await FailMessageAsync(message, ex, cancellationToken).ConfigureAwait(false);
                retryIn = delay > retryIn ? delay : retryIn;
            }

            return retryIn;
        }

        await Task.WhenAll(messages.Select(m => store.DeleteAsync(m, cancellationToken))).ConfigureAwait(false);
        return null;
    }

    /// <summary>Releases a message for a retry, or poisons it after too many; returns the retry delay (zero when poisoned).</summary>
    private async Task<TimeSpan> FailMessageAsync(ReceivedMessage message, Exception exception, CancellationToken cancellationToken)
    {
        if (message.DequeueCount >= options.MaxDequeueCount)
        {
            await PoisonAsync(message, $"{exception.GetType().Name}: {exception.Message}", cancellationToken).ConfigureAwait(false);
            return TimeSpan.Zero;
        }

        var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, message.DequeueCount - 1)));
        WorkerLog.MessageFailed(logger, exception, message.Message?.Id, message.Message?.InstanceId, message.DequeueCount, delay);
        await store.ReleaseAsync(message, delay, cancellationToken).ConfigureAwait(false);
        return delay;
    }

    private async Task PoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        WorkerLog.MessagePoisoned(logger, message.Message?.Id, message.Message?.InstanceId, reason);
        (message.Receipt as HostDelivery)?.PoisonOnComplete(reason);
        await store.MoveToPoisonAsync(message, reason, cancellationToken).ConfigureAwait(false);
        if (message.Message is { } readable && InstanceIds.IsValid(readable.InstanceId))
        {
            try
            {
                await FailInstanceAsync(
                    readable,
                    new TaskFailureDetails(TaskFailureDetails.PoisonMessageErrorType, $"Message {readable.Id} ({readable.Event.GetType().Name}) failed {message.DequeueCount} times and was moved to the poison queue: {reason}"),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                WorkerLog.FailInstanceFailed(logger, ex, readable.InstanceId);
            }
        }
    }

    private void RunInBackground(Func<Task> work) => RunInBackground(null, work);

    /// <summary>Runs work in the background; a host-delivered <paramref name="message"/> it leaves unsettled is answered as a retry.</summary>
    private void RunInBackground(ReceivedMessage? message, Func<Task> work)
    {
        background.Start();
        _ = RunAsync();

        async Task RunAsync()
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutting down: the message stays on the queue or in the outbox and is handled again.
            }
#pragma warning disable CA1031 // A background failure must never take the process down; it is logged and retried via the queue.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WorkerLog.PollFailed(logger, ex);
            }
            finally
            {
                (message?.Receipt as HostDelivery)?.Retry(TimeSpan.Zero);
                background.Done();
            }
        }
    }
}
