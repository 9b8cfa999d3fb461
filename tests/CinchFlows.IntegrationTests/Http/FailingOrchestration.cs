using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>Fails at once, so its instance ends Failed with details.</summary>
internal sealed class FailingOrchestration : TaskOrchestrator<object?, string>
{
    public const string Message = "deliberate failure for the management API test";

    public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
        throw new InvalidOperationException(Message);
}
