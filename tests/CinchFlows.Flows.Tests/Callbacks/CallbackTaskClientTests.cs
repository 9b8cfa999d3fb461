using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Events;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.Callbacks;

public sealed class CallbackTaskClientTests
{
    private static async Task<(FlowTestHost Host, string Id)> OpenAsync()
    {
        var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-c", "agent-1", "cust-c", false), default)).InstanceId;
        await host.RunUntilIdleAsync();
        return (host, id);
    }

    [Fact]
    public async Task Claim_BySameSupervisorAgain_IsAlreadyDone_ByAnother_IsAConflict()
    {
        var (host, id) = await OpenAsync();
        await using var _ = host;

        Assert.Equal(CallbackChangeOutcome.Changed, (await host.Callbacks.ClaimAsync(id, "sup-1", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.AlreadyDone, (await host.Callbacks.ClaimAsync(id, "sup-1", default)).Outcome);
        var rival = await host.Callbacks.ClaimAsync(id, "sup-2", default);

        Assert.Equal(CallbackChangeOutcome.Conflict, rival.Outcome);
        Assert.Equal($"Callback {id} is already claimed by sup-1.", rival.Reason);
        Assert.Equal("sup-1", (await host.Callbacks.GetAsync(id, default))!.ClaimedBy);
    }

    [Fact]
    public async Task Complete_NotClaimed_OrByAnother_IsAConflict_Twice_IsAlreadyDone()
    {
        var (host, id) = await OpenAsync();
        await using var _ = host;

        Assert.Equal(CallbackChangeOutcome.Conflict, (await host.Callbacks.CompleteAsync(id, "sup-1", null, default)).Outcome);
        await host.Callbacks.ClaimAsync(id, "sup-1", default);
        Assert.Equal(CallbackChangeOutcome.Conflict, (await host.Callbacks.CompleteAsync(id, "sup-2", null, default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.Changed, (await host.Callbacks.CompleteAsync(id, "sup-1", "ok", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.AlreadyDone, (await host.Callbacks.CompleteAsync(id, "sup-1", "ok", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.Conflict, (await host.Callbacks.ClaimAsync(id, "sup-2", default)).Outcome);
    }

    [Fact]
    public async Task UnknownTask_IsNotFound()
    {
        await using var host = new FlowTestHost();

        Assert.Equal(CallbackChangeOutcome.NotFound, (await host.Callbacks.ClaimAsync("callback-none", "sup-1", default)).Outcome);
        Assert.Equal(CallbackChangeOutcome.NotFound, (await host.Callbacks.CompleteAsync("callback-none", "sup-1", null, default)).Outcome);
    }

    [Fact]
    public async Task RacingClaims_HaveExactlyOneWinner()
    {
        var (host, id) = await OpenAsync();
        await using var _ = host;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => host.Callbacks.ClaimAsync(id, $"sup-{i}", default))));

        Assert.Single(results, r => r.Outcome == CallbackChangeOutcome.Changed);
        Assert.Equal(19, results.Count(r => r.Outcome == CallbackChangeOutcome.Conflict));
    }

    [Fact]
    public async Task ClaimAfterTheFlowEnded_StillAnswers()
    {
        var (host, id) = await OpenAsync();
        await using var _ = host;
        await host.Client.TerminateInstanceAsync(id, "test");
        await host.RunUntilIdleAsync();

        Assert.Equal(CallbackChangeOutcome.Changed, (await host.Callbacks.ClaimAsync(id, "sup-1", default)).Outcome);
    }
}
