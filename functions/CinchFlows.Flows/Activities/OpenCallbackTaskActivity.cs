using CinchFlows.Durable;
using CinchFlows.Flows.Callbacks;

namespace CinchFlows.Flows.Activities;

/// <summary>Opens the flow's Call Back Task; a retry finds it opened and changes nothing.</summary>
internal sealed class OpenCallbackTaskActivity(CallbackTaskClient callbacks) : TaskActivity<CallbackTask, CallbackTask>
{
    public override Task<CallbackTask> RunAsync(TaskActivityContext context, CallbackTask input) =>
        callbacks.OpenAsync(input, context.CancellationToken);
}
