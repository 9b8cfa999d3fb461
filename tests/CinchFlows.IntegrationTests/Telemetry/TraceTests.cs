using System.Diagnostics;
using CinchFlows.Durable;
using CinchFlows.Flows;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CinchFlows.IntegrationTests.Telemetry;

/// <summary>
/// One trace follows a flow from the signed webhook through the work queue (Azurite) to each orchestration step, each
/// activity, each telephony command and each notification, and on to the AMQP message (RabbitMQ). Spans are collected
/// with OpenTelemetry's in-memory exporter.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class TraceTests(AzuriteFixture azurite, RabbitMqFixture rabbit)
{
    private static readonly string[] Sources = ["CinchFlows.Webhooks", DurableTracing.SourceName, FlowTracing.SourceName];

    [Fact]
    public async Task WebhookTrace_SpansTheQueue_ToStepsActivitiesCommandsAndNotifications()
    {
        var exported = new List<Activity>();
        // As the app registers it when an exporter is configured: ASP.NET Core's request span is the webhook span's parent.
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(Sources).AddAspNetCoreInstrumentation().AddInMemoryExporter(exported).Build();
        await using var host = await CallCenterHost.StartAsync(azurite, rabbit);
        using var answering = host.AnswerTransfers();
        var call = CallCenterEndToEndTests.NewId("call");

        using var response = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-trace", "cust-trace");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(response);
        await host.OutputAsync(id);
        var prompt = await host.Inbox.WaitForAsync("agent-prompts", m => (string?)m.ApplicationProperties["flowId"] == id, "the agent prompt");
        var handoff = await host.Inbox.WaitForAsync("handoff-notes", m => (string?)m.ApplicationProperties["flowId"] == id, "the handoff note");
        tracing.ForceFlush();

        // Other tests run alongside: look only at this flow's traces.
        Activity[] Spans() => [.. exported.ToArray().Where(s => s is not null)];
        Activity? flagged = null;
        await Eventually.WaitUntilAsync(
            () => Task.FromResult((flagged = Spans().FirstOrDefault(s => s.DisplayName == "telephony webhook" && (string?)s.GetTagItem("cinchflows.flow_id") == id
                && (string?)s.GetTagItem("cinchflows.event_type") == "com.cinch.call.medical-emergency.flagged")) is not null),
            TimeSpan.FromSeconds(10),
            "the webhook's span");
        var trace = flagged!.TraceId;
        var inTrace = Spans().Where(s => s.TraceId == trace).ToList();
        string Names() => string.Join(", ", inTrace.Select(s => s.DisplayName));

        var steps = inTrace.Where(s => s.DisplayName == "orchestration step" && (string?)s.GetTagItem("cinchflows.instance_id") == id).ToList();
        Assert.True(steps.Count > 0, $"No step of {id} in the webhook's trace: {Names()}");
        Assert.Contains(steps, s => s.ParentSpanId == flagged.SpanId);
        var stepIds = steps.Select(s => s.SpanId).ToHashSet();
        var activities = inTrace.Where(s => s.DisplayName.StartsWith("activity ", StringComparison.Ordinal)).ToList();
        Assert.Contains(activities, s => s.DisplayName == "activity SendTelephonyCommandActivity" && stepIds.Contains(s.ParentSpanId));
        Assert.Contains(activities, s => s.DisplayName == "activity PublishNotificationActivity" && stepIds.Contains(s.ParentSpanId));
        Assert.Contains(inTrace, s => s.DisplayName == "telephony command agent.prompt");
        Assert.Contains(inTrace, s => s.DisplayName == "telephony command transfer.warm");
        var publish = Assert.Single(inTrace, s => s.DisplayName == "notification publish AgentPrompts");

        // The trace context rides on the AMQP message, as W3C traceparent.
        Assert.Equal(trace.ToHexString(), TraceIdOf(prompt.ApplicationProperties["traceparent"]));
        Assert.Equal($"00-{trace.ToHexString()}-{publish.SpanId.ToHexString()}-01", prompt.ApplicationProperties["traceparent"]);

        // The handoff note follows "transfer connected": its trace starts at that webhook.
        var handoffTrace = TraceIdOf(handoff.ApplicationProperties["traceparent"]);
        Assert.Contains(Spans(), s => s.TraceId.ToHexString() == handoffTrace && s.DisplayName == "telephony webhook"
            && (string?)s.GetTagItem("cinchflows.event_type") == "com.cinch.call.transfer.connected");
    }

    private static string? TraceIdOf(object? traceParent) =>
        traceParent is string text && ActivityContext.TryParse(text, null, out var context) ? context.TraceId.ToHexString() : null;
}
