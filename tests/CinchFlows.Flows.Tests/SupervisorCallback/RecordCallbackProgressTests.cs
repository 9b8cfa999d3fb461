using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.SupervisorCallback;

namespace CinchFlows.Flows.Tests.SupervisorCallback;

public sealed class RecordCallbackProgressTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ClaimBreached_RunTwice_StillApplies()
    {
        // Chaos found it: the activity ran again after a worker was killed before committing its result; the second run
        // said "no longer applies", the flow took that for a claim, and ops were never told nobody claimed the callback.
        var open = new CallbackTask { CallbackId = "cb-1", CustomerId = "cust-1", Status = CallbackStatus.Open, CreatedTime = Now, DueTime = Now, FlowId = "cb-1" };
        var progress = new CallbackProgress("cb-1", CallbackProgressKind.ClaimBreached, Now.AddHours(24));

        var first = RecordCallbackProgressActivity.Apply(open, progress);
        Assert.NotNull(first);
        var second = RecordCallbackProgressActivity.Apply(first, progress);

        Assert.Equal(first, second);
    }

    [Fact]
    public void ClaimBreached_AfterAClaim_DoesNotApply()
    {
        var claimed = new CallbackTask { CallbackId = "cb-2", CustomerId = "cust-1", Status = CallbackStatus.Claimed, ClaimedBy = "sup-1", CreatedTime = Now, DueTime = Now, FlowId = "cb-2" };

        Assert.Null(RecordCallbackProgressActivity.Apply(claimed, new CallbackProgress("cb-2", CallbackProgressKind.ClaimBreached, Now.AddHours(24))));
    }
}
