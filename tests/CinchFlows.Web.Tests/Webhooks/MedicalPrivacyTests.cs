using System.Net;
using System.Text.Json;
using CinchFlows.Web.Webhooks;
using Microsoft.Extensions.DependencyInjection;

using CinchFlows.Web.Tests.Support;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>
/// FLOWS.md F1 step 1: only that a disclosure happened is recorded. Free text that could describe a condition is refused
/// on a medical-emergency event (400 naming the field, never echoing it) and dropped on every other event; it never
/// reaches the store, the receipts, a notification, a command or the log.
/// </summary>
public sealed class MedicalPrivacyTests : IAsyncLifetime
{
    private const string Secret = "SECRET-DIAGNOSIS-type-2-diabetes-and-a-broken-hip";

    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("condition")]
    [InlineData("notes")]
    [InlineData("details")]
    [InlineData("description")]
    [InlineData("diagnosis")]
    [InlineData("symptoms")]
    [InlineData("comment")]
    [InlineData("comments")]
    [InlineData("reason")]
    [InlineData("medicalInfo")]
    [InlineData("Condition")]
    [InlineData("favouriteColour")]
    public async Task A_medical_emergency_with_an_extra_field_is_refused_naming_the_field_not_its_value(string field)
    {
        var id = WebhookRequests.NewId();
        var callId = "call-priv-" + field;
        var data = new Dictionary<string, object?> { ["callId"] = callId, ["agentId"] = "agent-7", ["customerId"] = "cust-9", [field] = Secret };

        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, data), id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains($"'data.{field}'", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync("medical-" + callId));
        Assert.Null(await app.Services.GetRequiredService<IWebhookReceiptStore>().FindAsync(id, CancellationToken.None));
        await AssertNowhereAsync(Secret);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(42)]
    [InlineData(true)]
    public async Task A_refused_field_is_refused_whatever_its_JSON_type(object? value)
    {
        var data = new Dictionary<string, object?> { ["callId"] = "call-priv-types", ["agentId"] = "agent-7", ["customerId"] = "cust-9", ["symptoms"] = value };

        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, data));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_nested_object_with_free_text_is_refused()
    {
        var data = new Dictionary<string, object?>
        {
            ["callId"] = "call-priv-nested",
            ["agentId"] = "agent-7",
            ["customerId"] = "cust-9",
            ["context"] = new { summary = Secret },
        };

        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, data));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNowhereAsync(Secret);
    }

    [Fact]
    public async Task A_field_whose_name_is_itself_free_text_is_not_echoed()
    {
        var data = new Dictionary<string, object?> { ["callId"] = "call-priv-name", ["agentId"] = "agent-7", ["customerId"] = "cust-9", [Secret + " (says the caller)"] = true };

        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, data));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("SECRET-DIAGNOSIS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNowhereAsync("SECRET-DIAGNOSIS");
    }

    [Fact]
    public async Task A_free_text_extension_attribute_on_a_medical_emergency_is_refused()
    {
        var body = WebhookRequests.Event(
            TelephonyEventTypes.MedicalEmergencyFlagged,
            new { callId = "call-priv-ext", agentId = "agent-7", customerId = "cust-9" },
            extra: new Dictionary<string, object?> { ["diagnosis"] = Secret });

        using var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync("medical-call-priv-ext"));
    }

    [Fact]
    public async Task An_accepted_medical_emergency_stores_only_the_ids()
    {
        var payload = await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-priv-ok", agentId = "agent-7", customerId = "cust-9", serviceRequestId = "sr-1" });

        var instance = await app.Durable.GetInstanceAsync(payload.GetProperty("id").GetString()!, getInputsAndOutputs: true);
        var input = JsonDocument.Parse(instance!.SerializedInput!).RootElement;
        Assert.Equal(["callId", "agentId", "customerId", "serviceRequestId"], input.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData(TelephonyEventTypes.SupervisorRequested, "callback-call-call-drop-1")]
    [InlineData(TelephonyEventTypes.EscalationRaised, "escalation-job-drop-1-service-delay")]
    public async Task Free_text_on_other_events_is_dropped_and_stored_nowhere(string type, string flowId)
    {
        var data = type == TelephonyEventTypes.SupervisorRequested
            ? new Dictionary<string, object?> { ["callId"] = "call-drop-1", ["agentId"] = "a", ["customerId"] = "c", ["supervisorAvailable"] = false }
            : new Dictionary<string, object?> { ["serviceJobId"] = "job-drop-1", ["reason"] = "service-delay", ["subReason"] = "general", ["raisedBy"] = "a", ["contactRole"] = "customer" };
        data["notes"] = Secret;
        data["condition"] = Secret;
        data["details"] = new { description = Secret };

        using var response = await app.PostAsync(WebhookRequests.Event(type, data));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var instance = await app.Durable.GetInstanceAsync(flowId, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.DoesNotContain(Secret, instance.SerializedInput, StringComparison.Ordinal);

        // Let the flow take its first steps (notifications, commands), then look everywhere.
        await Waiting.UntilAsync(async () => (await app.HistoryAsync(flowId)).Count > 2, $"{flowId} to take a step");
        await AssertNowhereAsync(Secret);
    }

    [Fact]
    public async Task The_raw_body_of_a_medical_emergency_is_never_logged()
    {
        var id = WebhookRequests.NewId();
        var body = WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-priv-log", agentId = "agent-unique-7781", customerId = "cust-9" });

        using var response = await app.PostAsync(body, id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(id, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(body, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("\"agentId\"", app.Logs.AllText, StringComparison.Ordinal);
    }

    private async Task AssertNowhereAsync(string value)
    {
        Assert.DoesNotContain(value, await app.DumpStoreAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, app.Logs.AllText, StringComparison.Ordinal);
    }
}
