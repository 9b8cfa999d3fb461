using System.Diagnostics;
using CinchFlows.Flows;
using CinchFlows.Flows.Versioning;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CinchFlows.IntegrationTests.Telemetry;

/// <summary>
/// One trace follows a flow from the signed webhook that started it, through the Durable Task SDK's spans (the
/// orchestration's creation, the orchestration, each activity scheduled and run), to each telephony command and each
/// notification, and on to the message (read back from its storage queue; the Service Bus message carries it the same way). An event the platform sends later (transfer connected) has its
/// own trace, from its webhook to the event raised for the flow. Spans are collected with OpenTelemetry's in-memory
/// exporter.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class TraceTests(AzuriteFixture azurite)
{
    private const string InstanceIdTag = "durabletask.task.instance_id";

    private static readonly string[] Sources = ["CinchFlows.Webhooks", "Microsoft.DurableTask", FlowTracing.SourceName];

    /// <summary>The SDK names the spans of a versioned flow and of its activities with the version: <c>orchestration:F1@(2.0)</c>.</summary>
    private static string Versioned(string span) => $"{span}@({FlowVersions.Latest})";

    [Fact]
    public async Task WebhookTrace_SpansTheOrchestration_ItsActivitiesCommandsAndNotifications()
    {
        var exported = new List<Activity>();
        // As the app registers it when an exporter is configured: ASP.NET Core's request span is the webhook span's parent.
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(Sources).AddAspNetCoreInstrumentation().AddInMemoryExporter(exported).Build();
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var answering = host.AnswerTransfers();
        var call = CallCenterEndToEndTests.NewId("call");

        using var response = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-trace", "cust-trace");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(response);
        await host.OutputAsync(id);
        var prompt = await host.Inbox.WaitForAsync("agent-prompts", m => (string?)m.ApplicationProperties["flowId"] == id, "the agent prompt");
        var handoff = await host.Inbox.WaitForAsync("handoff-notes", m => (string?)m.ApplicationProperties["flowId"] == id, "the handoff note");

        // Other tests run alongside: look only at this flow's traces. The orchestration's span ends when the flow does.
        Activity[] Spans()
        {
            tracing.ForceFlush();
            return [.. exported.ToArray().Where(s => s is not null)];
        }

        Activity? flagged = null;
        Activity? orchestration = null;
        await Eventually.WaitUntilAsync(
            () =>
            {
                var spans = Spans();
                flagged = spans.FirstOrDefault(s => s.DisplayName == "telephony webhook" && (string?)s.GetTagItem("cinchflows.flow_id") == id
                    && (string?)s.GetTagItem("cinchflows.event_type") == "com.cinch.call.medical-emergency.flagged");
                orchestration = spans.FirstOrDefault(s => s.DisplayName == Versioned("orchestration:MedicalEmergencyTransfer") && (string?)s.GetTagItem(InstanceIdTag) == id);
                return Task.FromResult(flagged is not null && orchestration is not null);
            },
            TimeSpan.FromSeconds(10),
            "the webhook's and the orchestration's spans");
        var trace = flagged!.TraceId;
        var inTrace = Spans().Where(s => s.TraceId == trace).ToList();
        string Names() => string.Join(", ", inTrace.Select(s => s.DisplayName));

        // Webhook → the start of the orchestration → the orchestration.
        var create = Assert.Single(inTrace, s => s.DisplayName == Versioned("create_orchestration:MedicalEmergencyTransfer") && (string?)s.GetTagItem(InstanceIdTag) == id);
        Assert.Equal(flagged.SpanId, create.ParentSpanId);
        Assert.True(orchestration!.TraceId == trace, $"The orchestration of {id} is not in the webhook's trace: {Names()}");
        Assert.Equal(create.SpanId, orchestration.ParentSpanId);

        // The orchestration → each activity it scheduled → the activity's run → its command or notification.
        var scheduled = inTrace.Where(s => s.Kind == ActivityKind.Client && s.ParentSpanId == orchestration.SpanId && s.DisplayName.StartsWith("activity:", StringComparison.Ordinal)).ToList();
        var scheduledIds = scheduled.Select(s => s.SpanId).ToHashSet();
        var runs = inTrace.Where(s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("activity:", StringComparison.Ordinal) && scheduledIds.Contains(s.ParentSpanId)).ToList();
        Assert.Contains(runs, s => s.DisplayName == Versioned("activity:SendTelephonyCommandActivity"));
        Assert.Contains(runs, s => s.DisplayName == Versioned("activity:PublishNotificationActivity"));
        var runIds = runs.Select(s => s.SpanId).ToHashSet();
        Assert.Contains(inTrace, s => s.DisplayName == "telephony command agent.prompt" && runIds.Contains(s.ParentSpanId));
        Assert.Contains(inTrace, s => s.DisplayName == "telephony command transfer.warm" && runIds.Contains(s.ParentSpanId));
        var publish = Assert.Single(inTrace, s => s.DisplayName == "notification publish AgentPrompts");
        Assert.Contains(publish.ParentSpanId, runIds);

        // The trace context rides on the message, as a W3C traceparent application property.
        Assert.Equal(trace.ToHexString(), TraceIdOf(prompt.ApplicationProperties["traceparent"]));
        Assert.Equal($"00-{trace.ToHexString()}-{publish.SpanId.ToHexString()}-01", prompt.ApplicationProperties["traceparent"]);

        // The handoff note is the same flow's work: its message carries the flow's trace too.
        Assert.Equal(trace.ToHexString(), TraceIdOf(handoff.ApplicationProperties["traceparent"]));

        // "Transfer connected" has a trace of its own: its webhook raised the event for this flow.
        var connected = Assert.Single(Spans(), s => s.DisplayName == "telephony webhook" && (string?)s.GetTagItem("cinchflows.flow_id") == id
            && (string?)s.GetTagItem("cinchflows.event_type") == "com.cinch.call.transfer.connected");
        Assert.Contains(Spans(), s => s.TraceId == connected.TraceId && s.DisplayName == "orchestration_event:TransferConnected"
            && (string?)s.GetTagItem("durabletask.event.target_instance_id") == id && s.ParentSpanId == connected.SpanId);
    }

    private static string? TraceIdOf(object? traceParent) =>
        traceParent is string text && ActivityContext.TryParse(text, null, out var context) ? context.TraceId.ToHexString() : null;
}
