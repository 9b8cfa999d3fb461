using CinchFlows.Flows.Callbacks;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>Opens the flow's Call Back Task; a retry finds it opened and changes nothing.</summary>
internal sealed class OpenCallbackTaskActivity(CallbackTaskClient callbacks) : TaskActivity<CallbackTask, CallbackTask>
{
    public override Task<CallbackTask> RunAsync(TaskActivityContext context, CallbackTask input) =>
        callbacks.OpenAsync(input, CancellationToken.None);
}
