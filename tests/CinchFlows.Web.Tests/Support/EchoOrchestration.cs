using Microsoft.DurableTask;

namespace CinchFlows.Web.Tests.Support;

/// <summary>Runs <see cref="EchoActivity"/> once and completes with its answer: one activity and a few steps.</summary>
internal sealed class EchoOrchestration : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<string>(nameof(EchoActivity), input);
}
