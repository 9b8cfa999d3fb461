using Microsoft.DurableTask;

namespace CinchFlows.Web.Tests.Support;

/// <summary>Waits for "Approve" forever, so an instance of it stays running for as long as a test needs.</summary>
internal sealed class WaitingOrchestration : TaskOrchestrator<object?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
        await context.WaitForExternalEvent<string>("Approve");
}
