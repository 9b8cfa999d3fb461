using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.SupervisorCallback;

namespace CinchFlows.Web.Tests.Support;

/// <summary>An open callback task written straight to the store, for tests of the supervisor API that need one to act on.</summary>
internal static class OpenCallbacks
{
    /// <summary>Opens a task whose id (also its call's and flow's) starts with <paramref name="prefix"/>; returns the id.</summary>
    public static async Task<string> SeedAsync(CallbackTaskClient callbacks, string prefix)
    {
        var id = prefix + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow;
        await callbacks.OpenAsync(new CallbackTask
        {
            CallbackId = id,
            CallId = "call-" + id,
            CustomerId = "cust-1",
            Status = CallbackStatus.Open,
            CreatedTime = now,
            DueTime = now.AddMinutes(15),
            FlowId = id,
            Priority = CallbackPriority.Normal,
            Reason = CallbackReason.SupervisorRequested,
            Tier = "supervisor",
        }, default);
        return id;
    }
}
