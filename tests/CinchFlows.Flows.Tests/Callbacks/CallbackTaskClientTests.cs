using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Flows.Tests.Callbacks;

/// <summary>Claims and completions of Call Back Tasks: the in-memory store, a fake clock and a mocked Durable Task client.</summary>
public sealed class CallbackTaskClientTests
{
    private const string Id = "callback-call-call-c";
    private static readonly DateTimeOffset Opened = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);
    private readonly DurableClientMock durable = new();
    private readonly FakeTimeProvider time = new(Opened.AddMinutes(3));
    private readonly CallbackTaskClient callbacks;

    public CallbackTaskClientTests()
    {
        callbacks = new CallbackTaskClient(new InMemoryCallbackTaskStore(), durable.Object, Mock.Of<IOptionsMonitor<SupervisorCallbackOptions>>(m => m.CurrentValue == new SupervisorCallbackOptions()), time);
        durable.With(Id, FlowNames.SupervisorCallback, OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task Claim_BySameSupervisorAgain_IsAlreadyDone_ByAnother_IsAConflict()
    {
        await OpenAsync();

        var first = await callbacks.ClaimAsync(Id, "sup-1", default);
        Assert.Equal(CallbackChangeOutcome.Changed, first.Outcome);
        Assert.Equal((CallbackStatus.Claimed, time.GetUtcNow(), time.GetUtcNow().AddHours(4)), (first.Task!.Status, first.Task.ClaimedTime, first.Task.DueTime));
        Assert.Equal(CallbackChangeOutcome.AlreadyDone, (await callbacks.ClaimAsync(Id, "sup-1", default)).Outcome);
        var rival = await callbacks.ClaimAsync(Id, "sup-2", default);

        Assert.Equal(CallbackChangeOutcome.Conflict, rival.Outcome);
        Assert.Equal($"Callback {Id} is already claimed by sup-1.", rival.Reason);
        Assert.Equal("sup-1", (await callbacks.GetAsync(Id, default))!.ClaimedBy);

        // The flow is told on the repeat too (the first request may have failed to tell it); never about the rival.
        Assert.Equal(2, durable.Raised.Count);
        Assert.All(durable.Raised, r => Assert.Equal((Id, FlowEvents.CallbackClaimed, (object?)new CallbackClaim("sup-1", time.GetUtcNow())), r));
    }

    [Fact]
    public async Task Complete_NotClaimed_OrByAnother_IsAConflict_Twice_IsAlreadyDone()
    {
        await OpenAsync();

        Assert.Equal(CallbackChangeOutcome.Conflict, (await callbacks.CompleteAsync(Id, "sup-1", null, default)).Outcome);
        await callbacks.ClaimAsync(Id, "sup-1", default);
        Assert.Equal(CallbackChangeOutcome.Conflict, (await callbacks.CompleteAsync(Id, "sup-2", null, default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.Changed, (await callbacks.CompleteAsync(Id, "sup-1", "ok", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.AlreadyDone, (await callbacks.CompleteAsync(Id, "sup-1", "ok", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.Conflict, (await callbacks.ClaimAsync(Id, "sup-2", default)).Outcome);
        Assert.Equal(2, durable.Raised.Count(r => r.EventName == FlowEvents.CallbackCompleted && Equals(r.Payload, new CallbackCompletion("sup-1", "ok"))));
    }

    [Fact]
    public async Task UnknownTask_IsNotFound()
    {
        Assert.Equal(CallbackChangeOutcome.NotFound, (await callbacks.ClaimAsync("callback-none", "sup-1", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.NotFound, (await callbacks.CompleteAsync("callback-none", "sup-1", null, default)).Outcome);
        Assert.Empty(durable.Raised);
    }

    [Fact]
    public async Task RacingClaims_HaveExactlyOneWinner()
    {
        await OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => callbacks.ClaimAsync(Id, $"sup-{i}", default))));

        Assert.Single(results, r => r.Outcome == CallbackChangeOutcome.Changed);
        Assert.Equal(19, results.Count(r => r.Outcome == CallbackChangeOutcome.Conflict));
    }

    [Fact]
    public async Task ClaimAfterTheFlowEnded_StillAnswers_AndTellsNobody()
    {
        await OpenAsync();
        durable.With(Id, FlowNames.SupervisorCallback, OrchestrationRuntimeStatus.Terminated);

        Assert.Equal(CallbackChangeOutcome.Changed, (await callbacks.ClaimAsync(Id, "sup-1", default)).Outcome);
        Assert.Empty(durable.Raised);
    }

    [Fact]
    public async Task BreachedTask_StaysBreachedWhenClaimed_AndCanStillBeCompleted()
    {
        // Docs: "the task stays on the board as breached until someone completes it" (a claim after the flow gave up, or
        // after the completion deadline passed).
        await OpenAsync(CallbackStatus.Breached);

        var claim = await callbacks.ClaimAsync(Id, "sup-1", default);
        Assert.Equal((CallbackChangeOutcome.Changed, CallbackStatus.Breached), (claim.Outcome, claim.Task!.Status));
        Assert.Single(await callbacks.ListAsync(CallbackStatus.Breached, 10, default));

        var late = await callbacks.CompleteAsync(Id, "sup-1", "resolved late", default);
        Assert.Equal((CallbackChangeOutcome.Changed, CallbackStatus.Completed, "resolved late"), (late.Outcome, late.Task!.Status, late.Task.Outcome));
    }

    [Fact]
    public async Task Open_TwiceKeepsTheFirst()
    {
        var first = await OpenAsync();
        var again = await callbacks.OpenAsync(first with { Tier = "manager" }, default);

        Assert.Equal(first, again);
    }

    private Task<CallbackTask> OpenAsync(CallbackStatus status = CallbackStatus.Open) => callbacks.OpenAsync(
        new CallbackTask
        {
            CallbackId = Id, CallId = "call-c", CustomerId = "cust-c", Status = status, CreatedTime = Opened, DueTime = Opened.AddMinutes(15), FlowId = Id, Tier = "supervisor",
        },
        default);
}
