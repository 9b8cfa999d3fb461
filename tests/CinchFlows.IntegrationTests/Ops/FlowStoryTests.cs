using System.Net;
using System.Text.Json;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Ops;

/// <summary><c>GET /api/ops/flows/{instanceId}/story</c> on the standalone host over Azurite, for flows driven by webhooks and people.</summary>
[Collection(CallCenterCollection.Name)]
public sealed class FlowStoryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task MedicalTransferNeverConnected_AndItsCallbackClaimedByAPerson_AreToldInTheTradesWords()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01" });
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-story", "cust-story");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        Assert.Equal("NotConnected", (await host.OutputAsync(id)).GetProperty("outcome").GetString());

        var story = await StoryAsync(host, id);

        var lines = Texts(story);
        Assert.Contains("agent prompted with the Medical Emergency Script", lines);
        Assert.Contains("transfer attempt 1 to Customer Service (x69187): no answer after 1 s", lines);
        Assert.Contains("transfer attempt 2 to Customer Service (x69187): no answer after 1 s", lines);
        Assert.Contains($"high-priority callback opened (callback-{id})", lines);
        Assert.Equal($"ended: not connected after 3 attempt(s); callback callback-{id} opened", lines[^1]);
        Assert.Equal(lines[^1], story.GetProperty("standing").GetString());

        var callbackId = "callback-" + id;
        await Eventually.WaitUntilAsync(async () => (await host.CallbackAsync(callbackId)).ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "the callback task");

        // Claim once the supervisors have been asked, as a supervisor would: a claim that beats the tier notice means
        // nobody is asked at all (the flow records the tier before telling it), and the story rightly has no such line.
        await Eventually.WaitUntilAsync(
            async () => Texts(await StoryAsync(host, callbackId)).Any(l => l.StartsWith("supervisors asked to claim the callback by ", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the supervisors asked to claim, in the callback's story");
        using var claim = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{callbackId}/claim", new { }, TestTokens.Person("sup-7", "Supervisor"));
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);

        // The flow takes the claim and then says what it waits for next (the status row can trail the history by a moment).
        await Eventually.WaitUntilAsync(
            async () => await StoryAsync(host, callbackId) is var s && Texts(s).Contains("callback claimed by sup-7")
                && s.GetProperty("standing").GetString()!.StartsWith("claimed by sup-7", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the claim in the callback's story");
        var callback = await StoryAsync(host, callbackId);
        Assert.Contains(Texts(callback), l => l.StartsWith("supervisors asked to claim the callback by ", StringComparison.Ordinal));
        Assert.Equal("wait", callback.GetProperty("entries").EnumerateArray().Last().GetProperty("kind").GetString());
        Assert.StartsWith("claimed by sup-7: waiting for the callback to be completed by ", callback.GetProperty("standing").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> StoryAsync(CallCenterHost host, string id)
    {
        using var response = await host.SendAsync(HttpMethod.Get, $"/api/ops/flows/{id}/story", key: CallCenterHost.OpsKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static List<string> Texts(JsonElement story) => [.. story.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("text").GetString()!)];
}
