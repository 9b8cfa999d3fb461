using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Durable.Engine;

/// <summary>
/// The context handed to orchestration code, and the replay engine behind it. Every call the code makes becomes a
/// pending action with the next sequence number; replaying history matches recorded actions against them (a mismatch
/// is non-determinism) and completes the code's awaits in recorded order.
/// </summary>
internal sealed partial class ReplayOrchestrationContext : TaskOrchestrationContext
{
    private readonly ILoggerFactory loggerFactory;
    private readonly SortedDictionary<int, HistoryEvent> pendingActions = [];
    private readonly Dictionary<int, OpenTask> openTasks = [];
    private readonly Dictionary<string, LinkedList<EventWaiter>> waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<string?>> bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CancellationTokenRegistration> registrations = [];
    private readonly Dictionary<int, int> pendingActionSizes = [];
    private int nextSequence;
    private int guidCounter;
    private DateTimeOffset currentTime;

    /// <summary>Most characters of messages one step may send: the outbox lives in the instance's storage row (under 1 MiB).</summary>
    internal const int MaxStepMessageChars = 200 * 1024;

    public ReplayOrchestrationContext(string name, string instanceId, ILoggerFactory loggerFactory)
    {
        Name = name;
        InstanceId = instanceId;
        this.loggerFactory = loggerFactory;
    }

    public override string Name { get; }

    public override string InstanceId { get; }

    public override DateTime CurrentUtcDateTime => currentTime.UtcDateTime;

    public override bool IsReplaying => replaying;

    internal string? SerializedCustomStatus { get; private set; }

    /// <summary>This run's id, from the history's first event.</summary>
    internal string? ExecutionId => started?.ExecutionId;

    public override Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serializedInput = DurableJson.Serialize(input);
        return options?.Retry is { } retry
            ? WithRetryAsync(() => ScheduleActivity<TResult>(name, serializedInput), retry)
            : ScheduleActivity<TResult>(name, serializedInput);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var id = nextSequence++;
        var at = new DateTimeOffset(DateTime.SpecifyKind(fireAt, DateTimeKind.Utc));
        pendingActions[id] = new TimerCreatedEvent(id, at) { Timestamp = currentTime };
        var timer = new OpenTask(id, OpenTaskKind.Timer, "timer", at);
        openTasks[id] = timer;
        if (cancellationToken.CanBeCanceled)
        {
            registrations.Add(cancellationToken.Register(() => timer.Completion.TrySetCanceled(cancellationToken)));
        }

        return timer.Completion.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return ConvertAsync<T>(WaitForEventCore(eventName, cancellationToken).Completion.Task);
    }

    public override async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (TryTakeBuffered(eventName, out var buffered))
        {
            return DurableJson.Deserialize<T>(buffered)!;
        }

        using var timerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiter = WaitForEventCore(eventName, cancellationToken);
        var timer = CreateTimer(CurrentUtcDateTime.Add(timeout), timerCancellation.Token);
        var first = await Task.WhenAny(waiter.Completion.Task, timer).ConfigureAwait(true);
        if (first == waiter.Completion.Task)
        {
            // Synchronous on purpose: CancelAsync would resume this code on the thread pool, outside the replay.
#pragma warning disable CA1849
            timerCancellation.Cancel();
#pragma warning restore CA1849
            return DurableJson.Deserialize<T>(await waiter.Completion.Task.ConfigureAwait(true))!;
        }

        RemoveWaiter(waiter);
        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Event '{eventName}' did not arrive within {timeout}."));
    }

    public override void SetCustomStatus(object? customStatus) => SerializedCustomStatus = DurableJson.Serialize(customStatus);

    public override Guid NewGuid()
    {
        // Name-based (RFC 9562 version 8, SHA-256) from the instance, the replayed time and a counter: the same on every replay.
        var name = string.Create(CultureInfo.InvariantCulture, $"{InstanceId}_{currentTime:O}_{guidCounter++}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var serializedInput = DurableJson.Serialize(input);
        return options?.Retry is { } retry
            ? WithRetryAsync(() => ScheduleSubOrchestration<TResult>(orchestratorName, serializedInput, options.InstanceId), retry)
            : ScheduleSubOrchestration<TResult>(orchestratorName, serializedInput, options?.InstanceId);
    }

    public override string StartOrchestration(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var id = nextSequence++;
        var childId = ChildInstanceId(options?.InstanceId, id);
        pendingActions[id] = EnsureFits(new OrchestrationStartRequestedEvent(id, orchestratorName, childId, DurableJson.Serialize(input)) { Timestamp = currentTime });
        return childId;
    }

    public override ILogger CreateReplaySafeLogger(string categoryName) =>
        new ReplaySafeLogger(loggerFactory.CreateLogger(categoryName), () => replaying);

    private static async Task<T> ConvertAsync<T>(Task<string?> serialized) =>
        DurableJson.Deserialize<T>(await serialized.ConfigureAwait(true))!;

    private Task<TResult> ScheduleActivity<TResult>(string name, string? serializedInput)
    {
        var id = nextSequence++;
        pendingActions[id] = EnsureFits(new TaskScheduledEvent(id, name, serializedInput) { Timestamp = currentTime });
        var task = new OpenTask(id, OpenTaskKind.Activity, name);
        openTasks[id] = task;
        return ConvertAsync<TResult>(task.Completion.Task);
    }

    private Task<TResult> ScheduleSubOrchestration<TResult>(string name, string? serializedInput, string? instanceId)
    {
        var id = nextSequence++;
        var childId = ChildInstanceId(instanceId, id);
        pendingActions[id] = EnsureFits(new SubOrchestrationCreatedEvent(id, name, childId, serializedInput) { Timestamp = currentTime });
        var task = new OpenTask(id, OpenTaskKind.SubOrchestration, name);
        openTasks[id] = task;
        return ConvertAsync<TResult>(task.Completion.Task);
    }

    /// <summary>
    /// Refuses, in the code's own call, an input too large to travel as a work message, or one that would make this
    /// step's outbox too large for its storage row. Deterministic: a replay schedules and matches the same actions.
    /// </summary>
    private HistoryEvent EnsureFits(HistoryEvent action)
    {
        var message = ToMessage(action);
        var body = JsonSerializer.Serialize(message, DurableJson.Options);
        QueueMessageSize.EnsureFits(message, body);
        var stepTotal = pendingActionSizes.Values.Sum() + body.Length;
        if (stepTotal > MaxStepMessageChars)
        {
            throw new PayloadTooLargeException(message.Id, stepTotal, MaxStepMessageChars);
        }

        pendingActionSizes[HistoryEventIds.ActionId(action)] = body.Length;
        return action;
    }

    private string ChildInstanceId(string? requested, int sequence)
    {
        if (requested is not null)
        {
            InstanceIds.Validate(requested, nameof(requested));
            return requested;
        }

        // The run's tag keeps a purged and restarted parent from meeting the children of its previous run.
        var derived = ExecutionId is { Length: >= 6 } run
            ? string.Create(CultureInfo.InvariantCulture, $"{InstanceId}:{run[..6]}:{sequence}")
            : string.Create(CultureInfo.InvariantCulture, $"{InstanceId}:{sequence}");
        return InstanceIds.IsValid(derived) ? derived : NewGuid().ToString("N");
    }

    private async Task<TResult> WithRetryAsync<TResult>(Func<Task<TResult>> attempt, RetryPolicy policy)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt().ConfigureAwait(true);
            }
            catch (TaskFailedException ex) when (number < policy.MaxNumberOfAttempts && (policy.HandleFailure?.Invoke(ex) ?? true))
            {
                await CreateTimer(CurrentUtcDateTime.Add(policy.GetDelay(number)), CancellationToken.None).ConfigureAwait(true);
            }
        }
    }

    private EventWaiter WaitForEventCore(string eventName, CancellationToken cancellationToken)
    {
        var waiter = new EventWaiter(eventName);
        if (TryTakeBuffered(eventName, out var buffered))
        {
            waiter.Completion.SetResult(buffered);
            return waiter;
        }

        if (!waiters.TryGetValue(eventName, out var list))
        {
            waiters[eventName] = list = new LinkedList<EventWaiter>();
        }

        list.AddLast(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            registrations.Add(cancellationToken.Register(() =>
            {
                RemoveWaiter(waiter);
                waiter.Completion.TrySetCanceled(cancellationToken);
            }));
        }

        return waiter;
    }

    private bool TryTakeBuffered(string eventName, out string? payload)
    {
        if (bufferedEvents.TryGetValue(eventName, out var queue) && queue.TryDequeue(out payload))
        {
            return true;
        }

        payload = null;
        return false;
    }

    private void RemoveWaiter(EventWaiter waiter)
    {
        if (waiters.TryGetValue(waiter.Name, out var list))
        {
            list.Remove(waiter);
        }
    }
}
