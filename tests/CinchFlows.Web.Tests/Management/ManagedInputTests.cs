using System.Net;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Management;

/// <summary>
/// The management API applies the webhooks' privacy rules (docs/api.md §5): a flow's input and an event's data hold only
/// the fields of their records and no free text; a refusal names the field, never the value, and nothing is stored.
/// </summary>
public sealed class ManagedInputTests : IAsyncLifetime
{
    private const string Canary = "caller has chest pain";

    private ManagementTestApp app = null!;

    public async Task InitializeAsync() => app = await ManagementTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("MedicalEmergencyTransfer", """{"callId":"c-1","agentId":"a-1","customerId":"k-1","condition":"CANARY"}""", "input.condition")]
    [InlineData("MedicalEmergencyTransfer", """{"callId":"c-1","agentId":"a-1","customerId":"k-1","extra":"CANARY"}""", "input.extra")]
    [InlineData("MedicalEmergencyTransfer", """{"callId":"CANARY","agentId":"a-1","customerId":"k-1"}""", "input.callId")]
    [InlineData("SeverityEscalation", """{"serviceJobId":"j-1","reason":"service-delay","subReason":"general","raisedBy":"a-1","contactRole":"customer","notes":"CANARY"}""", "input.notes")]
    [InlineData("SeverityEscalation", """{"serviceJobId":"j-1","reason":"service-delay","subReason":"general","raisedBy":"a-1","contactRole":"customer","provider":{"providerId":"p-1","timeZone":"UTC","phone":"+15550100","memo":"CANARY"}}""", "input.provider.memo")]
    [InlineData("SupervisorCallback", """{"customerId":"k-1","supervisorAvailable":false,"priority":"High","reason":"CANARY","channel":"call"}""", "input.reason")]
    public async Task A_start_with_an_unknown_field_or_free_text_is_400_naming_the_field_and_starts_nothing(string flow, string input, string field)
    {
        var id = "input-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await app.SendAsync(HttpMethod.Post, $"/api/orchestrators/{flow}/{id}", input.Replace("CANARY", Canary, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(field, text, StringComparison.Ordinal);
        Assert.DoesNotContain("chest pain", text, StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync(id));
        Assert.DoesNotContain("chest pain", app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_are_those_the_flow_waits_for_with_their_fields_only()
    {
        const string id = "input-f1-events";
        using (var start = await app.SendAsync(HttpMethod.Post, $"/api/orchestrators/MedicalEmergencyTransfer/{id}", """{"callId":"c-ev","agentId":"a-1","customerId":"k-1"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        using (var unknown = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/raiseEvent/CallbackClaimed", """{"supervisorId":"s-1","claimedTime":"2026-12-06T00:00:00Z"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("TransferConnected", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var extra = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/raiseEvent/TransferFailed", $$"""{"callId":"c-ev","targetExtension":"69187","reason":"busy","note":"{{Canary}}"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, extra.StatusCode);
            var text = await extra.Content.ReadAsStringAsync();
            Assert.Contains("data.note", text, StringComparison.Ordinal);
            Assert.DoesNotContain("chest pain", text, StringComparison.Ordinal);
        }

        using (var sentence = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/raiseEvent/TransferFailed", $$"""{"callId":"c-ev","targetExtension":"69187","reason":"{{Canary}}"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, sentence.StatusCode);
        }

        using (var ok = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/raiseEvent/TransferConnected", """{"callId":"c-ev","targetExtension":"69187"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        Assert.DoesNotContain("chest pain", app.Logs.AllText, StringComparison.Ordinal);
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "completed", TimeSpan.FromSeconds(30));
        var history = await app.Durable.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.DoesNotContain("chest pain", history!.SerializedInput ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CallbackClaimed", """{"supervisorId":"alice","claimedTime":"2026-12-06T00:00:00Z"}""")]
    [InlineData("CallbackCompleted", """{"supervisorId":"alice","outcome":"resolved"}""")]
    public async Task An_event_that_says_who_acted_is_refused_here_the_supervisor_api_raises_it(string eventName, string data)
    {
        var id = "input-f3-" + Guid.NewGuid().ToString("N")[..8];
        using (var start = await app.SendAsync(HttpMethod.Post, $"/api/orchestrators/SupervisorCallback/{id}", """{"customerId":"k-1","supervisorAvailable":false,"priority":"High","reason":"SupervisorRequested","channel":"call"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        using var response = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/raiseEvent/{eventName}", data);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("supervisor API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus);
    }
}
