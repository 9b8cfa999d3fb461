using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>Stands for the side effect of an approval; returns a receipt.</summary>
internal sealed class RecordApprovalActivity : TaskActivity<ApprovalRecord, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, ApprovalRecord input) =>
        Task.FromResult($"receipt:{input.Customer}:{input.By}");
}
