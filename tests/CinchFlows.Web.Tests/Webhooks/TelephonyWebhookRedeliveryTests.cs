using System.Net;
using CinchFlows.Web.Tests.Support;
using CinchFlows.Web.Webhooks;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>A redelivered webhook (same webhook-id) is answered as the first time and changes nothing; refused ones are not remembered.</summary>
public sealed class TelephonyWebhookRedeliveryTests : IAsyncLifetime
{
    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_redelivery_gets_the_identical_answer()
    {
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r1", agentId = "a", customerId = "c", supervisorAvailable = true });

        using var first = await app.PostAsync(body, id);
        using var second = await app.PostAsync(body, id);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Contains(app.Logs.Lines, line => line.Contains(id, StringComparison.Ordinal) && line.Contains("redelivery", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivery_changes_nothing_even_with_another_body()
    {
        var id = WebhookRequests.NewId();
        using var first = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r2", agentId = "a", customerId = "c", supervisorAvailable = true }), id);

        using var second = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r2-other", agentId = "a", customerId = "c", supervisorAvailable = true }), id);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Null(await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback("call-r2-other")));
    }

    [Fact]
    public async Task A_redelivered_event_is_not_raised_twice()
    {
        await app.PostEventAsync(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r3", agentId = "a", customerId = "c", supervisorAvailable = false });
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.CallEnded, new { callId = "call-r3" });

        using var first = await app.PostAsync(body, id);
        using var second = await app.PostAsync(body, id);
        using var marker = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.TransferFailed, new { callId = "call-r3", targetExtension = "1" }));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, marker.StatusCode);
        await Waiting.UntilAsync(
            async () => (await app.HistoryAsync(Flows.BusinessKeys.SupervisorCallback("call-r3"))).Raised(Flows.FlowEvents.TransferFailed).Any(),
            "the marker event");
        var ended = (await app.HistoryAsync(Flows.BusinessKeys.SupervisorCallback("call-r3"))).Raised(Flows.FlowEvents.CallEnded).Count();
        Assert.Equal(1, ended);
    }

    [Fact]
    public async Task A_refused_delivery_is_not_remembered_so_a_corrected_one_goes_through()
    {
        var id = WebhookRequests.NewId();
        using var refused = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r4", agentId = "a", supervisorAvailable = true }), id);

        using var corrected = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r4", agentId = "a", customerId = "c", supervisorAvailable = true }), id);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        Assert.NotNull(await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback("call-r4")));
    }

    [Fact]
    public async Task A_404_is_not_remembered_so_a_redelivery_after_the_flow_started_is_delivered()
    {
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.CallEnded, new { callId = "call-r5" });
        using var early = await app.PostAsync(body, id);
        await app.PostEventAsync(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r5", agentId = "a", customerId = "c", supervisorAvailable = false });

        using var later = await app.PostAsync(body, id);

        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
    }

    [Fact]
    public async Task A_forged_delivery_does_not_block_the_genuine_one_with_the_same_id()
    {
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r6", agentId = "a", customerId = "c", supervisorAvailable = true });
        using var forged = await app.PostAsync(body, id, secret: WebhookSecrets.Unknown);

        using var genuine = await app.PostAsync(body, id);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_id_get_one_answer()
    {
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r7", agentId = "a", customerId = "c", supervisorAvailable = true });

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.PostAsync(body, id)));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Equal(7, app.Logs.Lines.Count(line => line.Contains(id, StringComparison.Ordinal) && line.Contains("redelivery", StringComparison.Ordinal)));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_redelivered_start_whose_flow_was_purged_is_answered_as_the_first_time_and_starts_nothing()
    {
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r8", agentId = "a", customerId = "c", supervisorAvailable = false });
        var flowId = Flows.BusinessKeys.SupervisorCallback("call-r8");
        using var first = await app.PostAsync(body, id);

        // Terminated mid-step, the flow's activity would answer after the purge, and the in-memory backend (unlike Azure
        // Storage, which drops it) revives the instance for that answer: terminate it once it waits for a claim.
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(flowId, getInputsAndOutputs: true))?.SerializedCustomStatus is not null, "the flow waiting for a claim");
        await app.Durable.TerminateInstanceAsync(flowId, "test");
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(flowId))?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, "the flow terminated");
        await Waiting.UntilAsync(async () => (await app.Durable.PurgeInstanceAsync(flowId)).PurgedInstanceCount == 1, "the flow purged");

        using var second = await app.PostAsync(body, id);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Null(await app.Durable.GetInstanceAsync(flowId));
    }

    [Fact]
    public async Task A_start_looks_its_receipt_up_before_it_creates_its_flow()
    {
        var receipts = new GatedReceiptStore();
        await using var gated = await WebhookTestApp.StartAsync(receipts: receipts);
        var flowId = Flows.BusinessKeys.SupervisorCallback("call-r9");

        var posting = gated.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r9", agentId = "a", customerId = "c", supervisorAvailable = true }));
        await receipts.Asked.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var during = await gated.Durable.GetInstanceAsync(flowId);
        var commandsDuring = gated.Commands.Sent.Count;
        receipts.Open.SetResult();
        using var response = await posting;

        Assert.Null(during);
        Assert.Equal(0, commandsDuring);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(await gated.Durable.GetInstanceAsync(flowId));
        await Waiting.UntilAsync(async () => (await gated.Durable.GetInstanceAsync(flowId))?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Completed, "the flow running");
    }

    [Fact]
    public async Task A_redelivered_start_whose_receipt_is_gone_is_answered_as_the_first_and_replaces_nothing()
    {
        await using var forgetful = await WebhookTestApp.StartAsync(receipts: new ForgetfulReceiptStore());
        var id = WebhookRequests.NewId();
        var flowId = Flows.BusinessKeys.SupervisorCallback("call-r11");
        using var first = await forgetful.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r11", agentId = "agent-first", customerId = "c", supervisorAvailable = false }), id);

        using var second = await forgetful.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r11", agentId = "agent-second", customerId = "c", supervisorAvailable = false }), id);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var instance = (await forgetful.Durable.GetInstanceAsync(flowId, getInputsAndOutputs: true))!;
        Assert.Equal("agent-first", instance.ReadInputAs<Flows.SupervisorCallback.SupervisorCallbackInput>()!.AgentId);
        Assert.Contains(forgetful.Logs.Lines, line => line.Contains(id, StringComparison.Ordinal) && line.Contains("already running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_whose_receipt_cannot_be_looked_up_still_starts_its_flow()
    {
        await using var failing = await WebhookTestApp.StartAsync(receipts: new FailingReceiptStore());
        var flowId = Flows.BusinessKeys.SupervisorCallback("call-r10");

        using var response = await failing.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-r10", agentId = "a", customerId = "c", supervisorAvailable = true }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Waiting.UntilAsync(async () => (await failing.Durable.GetInstanceAsync(flowId))?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Completed, "the flow running");
        Assert.Contains(failing.Logs.Lines, line => line.Contains("could not be looked up", StringComparison.Ordinal));
    }
}
