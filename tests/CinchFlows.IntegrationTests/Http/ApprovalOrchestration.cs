using CinchFlows.Durable;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>Waits for an "Approve" event, records the approval through an activity and returns a receipt.</summary>
internal sealed class ApprovalOrchestration : TaskOrchestrator<ApprovalRequest, ApprovalReceipt>
{
    public const string ApproveEvent = "Approve";

    public override async Task<ApprovalReceipt> RunAsync(TaskOrchestrationContext context, ApprovalRequest input)
    {
        context.SetCustomStatus(new { stage = "waiting-for-approval" });
        var approval = await context.WaitForExternalEvent<Approval>(ApproveEvent);
        var receipt = await context.CallActivityAsync<string>(nameof(RecordApprovalActivity), new ApprovalRecord(input.Customer, approval.By));
        context.SetCustomStatus(new { stage = "approved" });
        return new ApprovalReceipt(input.Customer, approval.By, receipt);
    }
}
