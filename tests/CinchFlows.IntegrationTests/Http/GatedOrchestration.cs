using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>Runs <see cref="GatedActivity"/> once and returns how many times the activity ran before its answer was kept.</summary>
internal sealed class GatedOrchestration : TaskOrchestrator<string, int>
{
    public override Task<int> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<int>(nameof(GatedActivity), input);
}
