using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CinchFlows.IntegrationTests.Ops;

/// <summary>
/// The ops view (issue 21) and the signed-out first screen in headless Chromium against the real service (HTTP host,
/// Azurite): a flow's story in the trade's words with its raw history one click away, the list's outcome badges, and
/// what a newcomer reads before signing in. Every wait is on a page condition; screenshots go to artifacts/screenshots/.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class OpsFlowStoryBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private Chromium chromium = null!;

    public async Task InitializeAsync() => chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await chromium.DisposeAsync();

    [Fact]
    public async Task FirstScreen_SaysWhatThePageIs_HowToSignIn_AndWhatEachViewIsFor()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops/").ToString());

        var welcome = page.Locator("#welcome");
        await Expect(welcome).ToBeVisibleAsync();
        await Expect(welcome.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("CinchFlows: the contact center's emergency, escalation and callback procedures, running by themselves");
        await Expect(welcome).ToContainTextAsync("./scripts/token.sh --person you --roles Supervisor");
        await Expect(welcome).ToContainTextAsync("Sign in with Microsoft");
        await Expect(welcome).ToContainTextAsync("README, section \"Operate it\", \"The ops page\"");
        await Expect(welcome.Locator("#welcome-views dt")).ToHaveTextAsync(["Supervisor", "Flows", "Stuck flows"]);
        await Expect(welcome.Locator("#welcome-views")).ToContainTextAsync("Escalations and callbacks to act on");
        await Expect(welcome.Locator("#welcome-views")).ToContainTextAsync("Every flow, newest first");
        await Expect(welcome.Locator("#welcome-views")).ToContainTextAsync("repair");
        // The keyboard starts in the sign-in box.
        await Expect(page.GetByLabel(Chromium.SignInLabel)).ToBeFocusedAsync();
        await Chromium.ScreenshotAsync(page, "first-screen");

        // Signed in, the first screen gives way to the views; signed out, it is back.
        await page.GetByLabel(Chromium.SignInLabel).FillAsync(TestTokens.Person("ops-lead@contoso.test", "Ops"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#role-line")).ToHaveTextAsync("Signed in as ops-lead@contoso.test (ops)");
        await Expect(welcome).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(welcome).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task FlowDetail_TellsTheStoryInTheTradesWords_WithTheRawHistoryOneKeyAway()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01" });
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-story", "cust-story");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        Assert.Equal("NotConnected", (await host.OutputAsync(id)).GetProperty("outcome").GetString());
        var callbackId = "callback-" + id;
        await Eventually.WaitUntilAsync(async () => (await host.CallbackAsync(callbackId)).ValueKind == System.Text.Json.JsonValueKind.Object, TimeSpan.FromSeconds(30), "the callback task");
        using (var claim = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{callbackId}/claim", new { }, TestTokens.Person("sup-7", "Supervisor")))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;
        await SignInAsOpsAsync(page, host);

        await page.Locator($"#flows-table tr[data-instance-id='{id}']").GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        var detail = page.Locator("#detail");
        var story = detail.Locator("#story");
        await Expect(story).ToContainTextAsync("agent agent-story flagged a Medical Emergency or High-Risk Situation");
        await Expect(story).ToContainTextAsync("agent prompted with the Medical Emergency Script");
        await Expect(story).ToContainTextAsync("transfer attempt 2 to Customer Service (x69187): no answer after 1 s");
        await Expect(story).ToContainTextAsync($"high-priority callback opened ({callbackId})");
        await Expect(story.Locator("li").Last).ToContainTextAsync("warning");
        await Expect(story.Locator("li").Last).ToContainTextAsync("ended: not connected after 3 attempt(s)");
        await Expect(story).Not.ToContainTextAsync("TaskScheduled");
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync("not connected after 3 attempt(s)");

        // The raw history is one key away, from the keyboard.
        var raw = detail.Locator("#timeline");
        await Expect(raw).ToBeHiddenAsync();
        await detail.GetByText("Show raw history").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(raw).ToBeVisibleAsync();
        await Expect(raw).ToContainTextAsync("TaskCompleted · SendTelephonyCommandActivity");
        await Chromium.ScreenshotAsync(page, "ops-flow-story");

        // The callback it opened: claimed by the person who claimed it, and what it waits for now.
        await page.Locator($"#flows-table tr[data-instance-id='{callbackId}']").GetByRole(AriaRole.Button, new() { Name = callbackId }).ClickAsync();
        await Expect(detail.Locator("#detail-heading")).ToHaveTextAsync(callbackId);
        await Expect(story).ToContainTextAsync("callback claimed by sup-7");
        await Expect(story.Locator("li.story-person")).ToContainTextAsync("by a person");
        await Expect(detail.Locator("#story-standing")).ToContainTextAsync("Now: claimed by sup-7: waiting for the callback to be completed by ");
        await Chromium.ScreenshotAsync(page, "ops-callback-story");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task FinishedFlows_BadgesSayTheirOutcome_InWordsAndColour_AndATerminatedFlowStandsTerminated()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:02",
            ["Flows:SupervisorCallback:CompletionDeadline"] = "00:00:01",
            ["Flows:Escalation:AcknowledgeTimeout"] = "00:00:03",
            ["Flows:Escalation:OpsReminders"] = "1",
        });

        // F2 nobody acknowledges: three tiers and one ops reminder of 3 s each, then it ends unacknowledged (awaited below).
        using var unanswered = await host.Webhooks.EscalationRaisedAsync(CallCenterEndToEndTests.NewId("JOB"), "service-delay", "general", "agent-b0", "customer");
        var neverAcknowledgedId = await CallCenterEndToEndTests.AcceptedIdAsync(unanswered);

        // F1 never connected; F1 connected.
        using var notConnected = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-b1", "cust-b1");
        var notConnectedId = await CallCenterEndToEndTests.AcceptedIdAsync(notConnected);
        await host.OutputAsync(notConnectedId);
        string connectedId;
        using (host.AnswerTransfers())
        {
            using var connected = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-b2", "cust-b2");
            connectedId = await CallCenterEndToEndTests.AcceptedIdAsync(connected);
            Assert.Equal("Connected", (await host.OutputAsync(connectedId)).GetProperty("outcome").GetString());
        }

        // F2 acknowledged; F2 terminated while waiting.
        using var raised = await host.Webhooks.EscalationRaisedAsync(CallCenterEndToEndTests.NewId("JOB"), "service-delay", "general", "agent-b3", "customer");
        var acknowledgedId = await CallCenterEndToEndTests.AcceptedIdAsync(raised);
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var ack = await host.SendAsync(HttpMethod.Post, $"/api/escalations/{acknowledgedId}/acknowledge", new { }, TestTokens.Person("lead-b", "Supervisor"));
                return ack.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "the acknowledgement");
        await host.OutputAsync(acknowledgedId);
        using var another = await host.Webhooks.EscalationRaisedAsync(CallCenterEndToEndTests.NewId("JOB"), "service-delay", "general", "agent-b4", "customer");
        var terminatedId = await CallCenterEndToEndTests.AcceptedIdAsync(another);
        await Eventually.WaitUntilAsync(
            async () => (await host.StatusAsync(terminatedId)) is { ValueKind: System.Text.Json.JsonValueKind.Object } s && s.GetProperty("customStatus").ValueKind == System.Text.Json.JsonValueKind.Object
                && s.GetProperty("customStatus").GetProperty("phase").GetString() == "WaitingForAcknowledgement",
            TimeSpan.FromSeconds(30),
            "the escalation to wait");
        using (var terminate = await host.SendAsync(HttpMethod.Post, $"/api/instances/{terminatedId}/terminate?reason=duplicate"))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        await host.WaitForStatusAsync(terminatedId, "Terminated");

        // F3 claimed but not completed in time.
        using var requested = await host.Webhooks.SupervisorRequestedAsync(CallCenterEndToEndTests.NewId("call"), "agent-b5", "cust-b5", supervisorAvailable: false);
        var breachedId = await CallCenterEndToEndTests.AcceptedIdAsync(requested);
        await Eventually.WaitUntilAsync(async () => (await host.CallbackAsync(breachedId)).ValueKind == System.Text.Json.JsonValueKind.Object, TimeSpan.FromSeconds(30), "the callback task");
        using (var claim = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{breachedId}/claim", new { }, TestTokens.Person("sup-b", "Supervisor")))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        Assert.Equal("Breached", (await host.OutputAsync(breachedId)).GetProperty("outcome").GetString());

        var unacknowledged = await host.OutputAsync(neverAcknowledgedId, TimeSpan.FromSeconds(60));
        Assert.False(unacknowledged.TryGetProperty("acknowledgedBy", out var by) && by.ValueKind != JsonValueKind.Null);

        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;
        await SignInAsOpsAsync(page, host);

        await ExpectBadgeAsync(page, neverAcknowledgedId, "Completed · never acknowledged", met: false);
        await ExpectBadgeAsync(page, notConnectedId, "Completed · not connected", met: false);
        await ExpectBadgeAsync(page, connectedId, "Completed · connected", met: true);
        await ExpectBadgeAsync(page, acknowledgedId, "Completed · acknowledged by lead-b", met: true);
        await ExpectBadgeAsync(page, breachedId, "Completed · breached: not completed in time", met: false);

        // A terminated flow stands terminated, with its reason: not at the wait it was in.
        var terminatedRow = page.Locator($"#flows-table tr[data-instance-id='{terminatedId}']");
        await Expect(terminatedRow).ToContainTextAsync("terminated by ops: duplicate");
        await Expect(terminatedRow).Not.ToContainTextAsync("waiting for");
        await Chromium.ScreenshotAsync(page, "ops-flows-outcomes");

        await terminatedRow.GetByRole(AriaRole.Button, new() { Name = terminatedId }).ClickAsync();
        var facts = page.Locator("#detail-facts");
        await Expect(facts).ToContainTextAsync("terminated by ops: duplicate");
        await Expect(facts).Not.ToContainTextAsync("waiting for");
        await Expect(facts).Not.ToContainTextAsync("Due");
        await Expect(page.Locator("#story li").Last).ToContainTextAsync("terminated by ops: duplicate");
        await Chromium.ScreenshotAsync(page, "ops-flow-terminated-story");
        Assert.Empty(errors);
    }

    private static async Task SignInAsOpsAsync(IPage page, CallCenterHost host)
    {
        await Chromium.SignInAsync(page, host.Http.BaseAddress!, TestTokens.Person("ops-lead@contoso.test", "Ops"));
        await Expect(page.Locator("#role-line")).ToHaveTextAsync("Signed in as ops-lead@contoso.test (ops)");
    }

    private static async Task ExpectBadgeAsync(IPage page, string instanceId, string text, bool met)
    {
        var badge = page.Locator($"#flows-table tr[data-instance-id='{instanceId}'] .badge");
        await Expect(badge).ToHaveTextAsync(text);
        await Expect(badge).ToHaveClassAsync(new Regex(met ? @"\bmet\b" : @"\bunmet\b"));
    }

}
