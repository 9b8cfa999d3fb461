using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>
/// Waits for an "Approve" event, records the approval through an activity and returns a receipt. Its custom status says
/// what it waits for and since when (<c>text</c>, <c>since</c>), as the call-center flows' do, so the status shows
/// <c>waitingFor</c> and <c>waitingSince</c>.
/// </summary>
internal sealed class ApprovalOrchestration : TaskOrchestrator<ApprovalRequest, ApprovalReceipt>
{
    public const string ApproveEvent = "Approve";

    public override async Task<ApprovalReceipt> RunAsync(TaskOrchestrationContext context, ApprovalRequest input)
    {
        context.SetCustomStatus(new { stage = "waiting-for-approval", text = $"waiting for the {ApproveEvent} event", since = context.CurrentUtcDateTime });
        var approval = await context.WaitForExternalEvent<Approval>(ApproveEvent);
        var receipt = await context.CallActivityAsync<string>(nameof(RecordApprovalActivity), new ApprovalRecord(input.Customer, approval.By));
        context.SetCustomStatus(new { stage = "approved" });
        return new ApprovalReceipt(input.Customer, approval.By, receipt);
    }
}
