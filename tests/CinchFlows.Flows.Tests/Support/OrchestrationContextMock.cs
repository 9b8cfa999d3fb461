using System.Reflection;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Moq;
using Moq.Protected;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>
/// A Moq <see cref="TaskOrchestrationContext"/> that plays the Durable Task runtime for one orchestration run, the way
/// Microsoft's guide to unit-testing isolated orchestrations does: activities answer at once with what the test says
/// (commands, notifications and starts are recorded), durable timers fire when the test moves the clock
/// (<see cref="Advance"/>), external events arrive when the test raises them (<see cref="Raise"/>), and every custom
/// status is kept. Events follow the SDK's rules: the newest open wait for a name gets the event, a cancelled wait is
/// passed over, and an event nobody waits for is kept for the next wait.
/// </summary>
/// <remarks>
/// Everything runs on the test's thread: the orchestration goes on inside each call that completes one of its tasks,
/// so a test reads the state right after <see cref="Raise"/> or <see cref="Advance"/>, without waiting.
/// </remarks>
internal sealed class OrchestrationContextMock
{
    private static readonly MethodInfo FromResultMethod = typeof(Task).GetMethod(nameof(Task.FromResult))!;
    private static readonly MethodInfo FromExceptionMethod = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod);

    private readonly List<ActivityCall> activities = [];
    private readonly List<PendingTimer> timers = [];
    private readonly List<FlowStatus> statuses = [];
    private readonly Dictionary<string, List<EventWaiter>> waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<object?>> buffered = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<object?, object?>> handlers = new(StringComparer.Ordinal);
    private int taskId;

    public OrchestrationContextMock(string instanceId, string name, DateTime? start = null)
    {
        Now = start ?? new DateTime(2026, 11, 23, 15, 0, 0, DateTimeKind.Utc);
        Mock = new Mock<TaskOrchestrationContext>(MockBehavior.Loose) { CallBase = true };
        Mock.SetupGet(c => c.InstanceId).Returns(instanceId);
        Mock.SetupGet(c => c.Name).Returns(new TaskName(name));
        Mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        Mock.SetupGet(c => c.IsReplaying).Returns(false);
        Mock.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(Logs);
        Mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(status => statuses.Add((FlowStatus)status!));
        Mock.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(new InvocationFunc(CallActivity));
        Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>(CreateTimer);
        Mock.Setup(c => c.WaitForExternalEvent<It.IsAnyType>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(WaitForExternalEvent));
        InstanceId = instanceId;
    }

    public Mock<TaskOrchestrationContext> Mock { get; }

    public TaskOrchestrationContext Object => Mock.Object;

    public string InstanceId { get; }

    /// <summary>The orchestration's clock (<see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>).</summary>
    public DateTime Now { get; private set; }

    public RecordingLoggerFactory Logs { get; } = new();

    public MedicalEmergencyOptions MedicalEmergency { get; } = new();

    public EscalationOptions Escalation { get; } = new();

    public SupervisorCallbackOptions SupervisorCallback { get; } = new();

    public FlowCommandOptions Commands { get; } = new();

    /// <summary>What <see cref="GetFlowSettingsActivity"/> answers: the options above as the test left them.</summary>
    public FlowSettings Settings => new(MedicalEmergency, Escalation, SupervisorCallback, Commands);

    public IReadOnlyList<ActivityCall> Activities => activities;

    public IReadOnlyList<PendingTimer> Timers => timers;

    public IReadOnlyList<FlowStatus> Statuses => statuses;

    /// <summary>The custom status set last.</summary>
    public FlowStatus Status => statuses.Count > 0 ? statuses[^1] : throw new InvalidOperationException("No custom status was set.");

    /// <summary>Every command sent (one per <see cref="SendTelephonyCommandActivity"/> call: the SDK retries inside it).</summary>
    public IReadOnlyList<TelephonyCommand> CommandsSent => InputsOf<TelephonyCommand>(nameof(SendTelephonyCommandActivity));

    /// <summary>Every notification published.</summary>
    public IReadOnlyList<Notification> Notifications => InputsOf<Notification>(nameof(PublishNotificationActivity));

    /// <summary>Every flow started.</summary>
    public IReadOnlyList<StartFlowRequest> Starts => InputsOf<StartFlowRequest>(nameof(StartFlowActivity));

    /// <summary>Every progress recorded on the Call Back Task.</summary>
    public IReadOnlyList<CallbackProgress> Progress => InputsOf<CallbackProgress>(nameof(RecordCallbackProgressActivity));

    public IReadOnlyList<TelephonyCommand> CommandsOfType(string type) => CommandsSent.Where(c => c.Type == type).ToList();

    public IReadOnlyList<Notification> On(NotificationTopic topic) => Notifications.Where(n => n.Topic == topic).ToList();

    public IReadOnlyList<Notification> WithSubject(string subject) => Notifications.Where(n => n.Subject == subject).ToList();

    public IReadOnlyList<PendingTimer> PendingTimers => timers.Where(t => t.IsPending).ToList();

    /// <summary>Replaces what activity <paramref name="name"/> answers; throw <see cref="Failed"/> to fail it after every retry.</summary>
    public OrchestrationContextMock OnActivity(string name, Func<object?, object?> handler)
    {
        handlers[name] = handler;
        return this;
    }

    /// <summary>Telephony commands matching <paramref name="fails"/> fail after every retry.</summary>
    public OrchestrationContextMock FailCommands(Func<TelephonyCommand, bool> fails) =>
        OnActivity(nameof(SendTelephonyCommandActivity), input => fails((TelephonyCommand)input!) ? throw Failed(nameof(SendTelephonyCommandActivity)) : true);

    /// <summary>The exception the SDK throws in the orchestration when an activity failed after every retry.</summary>
    public TaskFailedException Failed(string activity) =>
        new(activity, taskId, new TaskFailureDetails(typeof(HttpRequestException).FullName!, "failed in the test", null, null, null));

    /// <summary>Starts <paramref name="orchestrator"/> on this context; it runs until its first wait.</summary>
    public Task<TOutput> Run<TInput, TOutput>(TaskOrchestrator<TInput, TOutput> orchestrator, TInput input)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        Task<TOutput>? run = null;
        Drive(() => run = orchestrator.RunAsync(Object, input));
        return run!;
    }

    /// <summary>Raises an external event, as a client would.</summary>
    public void Raise(string eventName, object payload) => Drive(() => Deliver(eventName, payload));

    /// <summary>Moves the clock by <paramref name="by"/>, firing each timer due on the way at its own time.</summary>
    public void Advance(TimeSpan by) => AdvanceTo(Now + by);

    /// <summary>Moves the clock to <paramref name="target"/>, firing each timer due on the way at its own time.</summary>
    public void AdvanceTo(DateTime target) => Drive(() =>
    {
        while (timers.Where(t => t.IsPending && t.FireAt <= target).OrderBy(t => t.FireAt).FirstOrDefault() is { } next)
        {
            if (next.FireAt > Now)
            {
                Now = next.FireAt;
            }

            next.Source.TrySetResult();
        }

        if (target > Now)
        {
            Now = target;
        }
    });

    /// <summary>Jumps the clock to <paramref name="target"/> first, then fires the timers due: a host that was down handles them late.</summary>
    public void AdvanceLateTo(DateTime target) => Drive(() =>
    {
        Now = target;
        while (timers.FirstOrDefault(t => t.IsPending && t.FireAt <= target) is { } next)
        {
            next.Source.TrySetResult();
        }
    });

    /// <summary>The output of a run that must have completed.</summary>
    public static TOutput OutputOf<TOutput>(Task<TOutput> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Assert.True(run.IsCompletedSuccessfully, run.IsFaulted ? $"The orchestration failed: {run.Exception}" : "The orchestration is still running.");
        return run.Result;
    }

    private static void Drive(Action action)
    {
        // No synchronization context: the orchestration's continuations run inline, on this thread, at once.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private List<T> InputsOf<T>(string activity) =>
        activities.Where(a => a.Name == activity).Select(a => (T)a.Input!).ToList();

    private object CallActivity(IInvocation invocation)
    {
        var resultType = invocation.Method.GetGenericArguments()[0];
        var name = ((TaskName)invocation.Arguments[0]!).Name;
        var input = invocation.Arguments[1];
        activities.Add(new ActivityCall(name, input, (TaskOptions?)invocation.Arguments[2], Now));
        taskId++;
        try
        {
            var result = handlers.TryGetValue(name, out var handler) ? handler(input) : Answer(name, input);
            return FromResultMethod.MakeGenericMethod(resultType).Invoke(null, [result])!;
        }
        catch (Exception ex) when (ex is not TargetInvocationException)
        {
            return FromExceptionMethod.MakeGenericMethod(resultType).Invoke(null, [ex])!;
        }
    }

    private object? Answer(string name, object? input) => name switch
    {
        nameof(GetFlowSettingsActivity) => Settings,
        nameof(StartFlowActivity) => new StartResult(((StartFlowRequest)input!).InstanceId, Created: true),
        nameof(OpenCallbackTaskActivity) => input,
        nameof(ReadCallbackClaimActivity) => null,
        nameof(ReadHintActivity) => null,
        _ => true,
    };

    private Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var timer = new PendingTimer(fireAt, Now);
        timers.Add(timer);
        cancellationToken.Register(() => timer.Source.TrySetCanceled(cancellationToken));
        return timer.Source.Task;
    }

    private Task WaitForExternalEvent(IInvocation invocation)
    {
        var name = (string)invocation.Arguments[0]!;
        var cancellationToken = (CancellationToken)invocation.Arguments[1]!;
        var waiter = EventWaiter.Create(invocation.Method.GetGenericArguments()[0]);
        if (buffered.TryGetValue(name, out var queue) && queue.Count > 0)
        {
            waiter.TryDeliver(queue.Dequeue());
        }
        else
        {
            if (!waiters.TryGetValue(name, out var line))
            {
                waiters[name] = line = [];
            }

            line.Add(waiter);
        }

        cancellationToken.Register(() => waiter.Cancel(cancellationToken));
        return waiter.Task;
    }

    private void Deliver(string eventName, object? payload)
    {
        // The newest open wait takes it; cancelled waits are passed over (DurableTaskSdkTests pins this in 1.28.0).
        if (waiters.TryGetValue(eventName, out var line))
        {
            while (line.Count > 0)
            {
                var newest = line[^1];
                line.RemoveAt(line.Count - 1);
                if (newest.TryDeliver(payload))
                {
                    return;
                }
            }
        }

        if (!buffered.TryGetValue(eventName, out var queue))
        {
            buffered[eventName] = queue = new Queue<object?>();
        }

        queue.Enqueue(payload);
    }
}
