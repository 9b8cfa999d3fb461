using System.Net;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Tests.Support;
using CinchFlows.Web.Tests.Webhooks;
using CinchFlows.Web.Webhooks;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Hints;

/// <summary>
/// <c>com.cinch.call.transcript.segment</c> through the real host: one signed <c>agent.hint</c> per call and protocol, only
/// for final customer segments; F1 records that the hint came first; the text is found nowhere afterwards.
/// </summary>
public sealed class TranscriptHintWebhookTests : IAsyncLifetime
{
    private const string Canary = "CANARY-7f3c-zebra-quartz oxygen concentrator";

    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_key_phrase_sends_one_signed_hint_per_call_and_protocol_and_a_repeat_sends_none()
    {
        var first = await SegmentAsync("call-h1", "My mother is on an oxygen concentrator and the power is out.");
        var repeat = await SegmentAsync("call-h1", "Did I mention her oxygen?");
        var legal = await SegmentAsync("call-h1", "And my lawyer will hear about this.");

        Assert.Equal(["medical-emergency"], Hints(first));
        Assert.Empty(Hints(repeat));
        Assert.Equal(["legal"], Hints(legal));
        var hints = app.Commands.Sent.Where(c => c.Type == TelephonyCommand.AgentHintType).ToList();
        Assert.Equal(2, hints.Count);
        Assert.Equal(
            ("call-h1", "agent-7", "medical-emergency", "hint:call-h1:medical-emergency"),
            (hints[0].CallId, hints[0].AgentId, hints[0].Protocol, hints[0].IdempotencyKey));
        Assert.Equal("Possible Medical Emergency or High-Risk Situation: follow the Medical Emergency Protocol and flag the call.", hints[0].Hint);
        Assert.NotNull(await app.Services.GetRequiredService<IHintLedger>().FindAsync("call-h1", HintProtocol.MedicalEmergency, CancellationToken.None));
    }

    [Theory]
    [InlineData("agent", true)]
    [InlineData("customer", false)]
    public async Task Only_final_customer_segments_are_listened_to(string speaker, bool final)
    {
        var answer = await SegmentAsync("call-h2", "I'm calling my lawyer and the news.", speaker, final);

        Assert.Empty(Hints(answer));
        Assert.DoesNotContain(app.Commands.Sent, c => c.CallId == "call-h2");
    }

    [Fact]
    public async Task A_negated_phrase_sends_nothing()
    {
        Assert.Empty(Hints(await SegmentAsync("call-h3", "No medical issues here, nobody is sick.")));
        Assert.DoesNotContain(app.Commands.Sent, c => c.CallId == "call-h3");
    }

    [Fact]
    public async Task A_hint_the_platform_refuses_answers_503_and_a_redelivery_sends_it()
    {
        app.Commands.FailNext(1);
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.TranscriptSegment, Segment("call-h4", "There's a reporter outside my house."));

        using (var refused = await app.PostAsync(body, id))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        using var redelivered = await app.PostAsync(body, id);

        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Single(app.Commands.Sent, c => c.CallId == "call-h4" && c.Protocol == "media");
    }

    [Theory]
    [InlineData("call/with/slashes")]
    [InlineData("call#1")]
    public async Task A_call_id_that_cannot_key_a_hint_is_refused(string callId) =>
        await app.PostEventAsync(TelephonyEventTypes.TranscriptSegment, Segment(callId, "oxygen"), expectedStatus: 400);

    [Fact]
    public async Task A_segment_without_text_is_refused_naming_the_field()
    {
        var answer = await app.PostEventAsync(
            TelephonyEventTypes.TranscriptSegment, new { callId = "call-h5", agentId = "agent-7", speaker = "customer", final = true }, expectedStatus: 400);

        Assert.Contains("'data.text' is required", answer.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_over_64_KiB_is_refused_with_413()
    {
        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.TranscriptSegment, Segment("call-h6", new string('a', 70_000))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task When_the_agent_flags_after_a_medical_hint_F1_records_that_the_hint_came_first()
    {
        await SegmentAsync("call-h7", "My husband does dialysis at home.");
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-h7", agentId = "agent-7", customerId = "cust-9" });
        await Waiting.UntilAsync(() => Task.FromResult(app.Commands.Sent.Any(c => c.Type == TelephonyCommand.WarmTransferType && c.CallId == "call-h7")), "the warm transfer");
        await app.PostEventAsync(TelephonyEventTypes.TransferConnected, new { callId = "call-h7", targetExtension = "69187" });

        var output = await OutputAsync("medical-call-h7");

        Assert.True(output.HintedFirst);
        Assert.NotNull(output.HintedTime);
    }

    [Fact]
    public async Task Without_a_hint_F1_records_none()
    {
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-h8", agentId = "agent-7", customerId = "cust-9" });
        await Waiting.UntilAsync(() => Task.FromResult(app.Commands.Sent.Any(c => c.Type == TelephonyCommand.WarmTransferType && c.CallId == "call-h8")), "the warm transfer");
        await app.PostEventAsync(TelephonyEventTypes.TransferConnected, new { callId = "call-h8", targetExtension = "69187" });

        var output = await OutputAsync("medical-call-h8");

        Assert.False(output.HintedFirst);
        Assert.Null(output.HintedTime);
    }

    [Fact]
    public async Task The_text_of_a_segment_is_found_in_no_answer_log_store_command_or_receipt()
    {
        var id = WebhookRequests.NewId();
        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.TranscriptSegment, Segment("call-h9", Canary)), id);
        var answer = await response.Content.ReadAsStringAsync();
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-h9", agentId = "agent-7", customerId = "cust-9" });
        await Waiting.UntilAsync(async () => (await app.HistoryAsync("medical-call-h9")).Count > 4, "F1 to take its first steps");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain("CANARY", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", await app.DumpStoreAsync(), StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<IWebhookReceiptStore>().FindAsync(id, CancellationToken.None));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Hint MedicalEmergency sent to agent agent-7 on call call-h9", StringComparison.Ordinal));
    }

    private static object Segment(string callId, string text, string speaker = "customer", bool final = true) =>
        new { callId, agentId = "agent-7", speaker, text, final };

    private static string[] Hints(JsonElement answer) => [.. answer.GetProperty("hints").EnumerateArray().Select(e => e.GetString()!)];

    private Task<JsonElement> SegmentAsync(string callId, string text, string speaker = "customer", bool final = true) =>
        app.PostEventAsync(TelephonyEventTypes.TranscriptSegment, Segment(callId, text, speaker, final));

    private async Task<MedicalEmergencyTransferOutput> OutputAsync(string instanceId)
    {
        OrchestrationMetadata? instance = null;
        await Waiting.UntilAsync(
            async () => (instance = await app.Durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"{instanceId} to complete");
        return FlowJson.Deserialize<MedicalEmergencyTransferOutput>(instance!.SerializedOutput!)!;
    }
}
