using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CinchFlows.IntegrationTests.Ops;

/// <summary>
/// The supervisor view (issue 21) in headless Chromium against the real HTTP host on Azurite: escalations waiting for
/// acknowledgement and the callbacks board, with live countdowns. Every wait is on a page condition; screenshots go to
/// artifacts/screenshots/supervisor-*.png.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class SupervisorViewBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private Chromium chromium = null!;

    public async Task InitializeAsync()
    {
        // What these pages wait for comes with a 5 s refresh and a flow's step on Azurite: more than Playwright's 5 s default.
        SetDefaultExpectTimeout(30_000);
        chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync() => await chromium.DisposeAsync();

    [Fact]
    public async Task Supervisor_SeesOnlyTheSupervisorView_AnEscalationWithItsCountdown_AndAcknowledgesIt()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var job = CallCenterEndToEndTests.NewId("JOB");
        using var raised = await host.Webhooks.EscalationRaisedAsync(job, "medical-emergency", "disclosed", "agent-7", "customer");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(raised);

        // The API behind the view, on Azurite through the standalone host: open, with the documented fields.
        var listed = await WaitForEscalationAsync(host, "open", id);
        Assert.Equal((job, "ClaimsSpecialist", "MedicalEmergency", "agent-7", "group"), (
            listed.GetProperty("serviceJobId").GetString(), listed.GetProperty("route").GetString(), listed.GetProperty("severity").GetString(),
            listed.GetProperty("raisedBy").GetString(), listed.GetProperty("tier").GetString()));
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await SignInAsync(page, host, TestTokens.Person("sup-7", "Supervisor"));

        // A supervisor sees the supervisor view only: no Flows, no Stuck flows.
        await Expect(page.Locator("#role-line")).ToHaveTextAsync("Signed in as sup-7 (supervisor)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Supervisor", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Flows", Exact = true })).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stuck flows", Exact = true })).ToBeHiddenAsync();
        await Expect(page.Locator("#flows-view")).ToBeHiddenAsync();
        await Expect(page.Locator("#stuck-view")).ToBeHiddenAsync();

        // Route, severity, job, who raised it and when, the tier reached, and a countdown of the 5-minute Medical Emergency SLA.
        var card = page.Locator($"#escalations-open li[data-escalation-id='{id}']");
        await Expect(card).ToContainTextAsync("Claims Specialist · Medical Emergency");
        await Expect(card).ToContainTextAsync(job);
        await Expect(card).ToContainTextAsync("by agent-7 at ");
        await Expect(card).ToContainTextAsync("Tier reached");
        await Expect(card).ToContainTextAsync("group");
        await Expect(card.Locator(".state")).ToHaveTextAsync("Waiting for acknowledgement");
        var countdown = card.Locator(".countdown");
        await Expect(countdown).ToHaveTextAsync(new Regex(@"^Acknowledge within 0[45]:\d\d "));
        var first = await countdown.TextContentAsync();
        await Expect(countdown).Not.ToHaveTextAsync(first!);
        await Chromium.ScreenshotAsync(page, "supervisor-view");

        // The 5 s refresh rebuilds the cards without taking the keyboard away; Enter then opens the confirmation.
        var acknowledgeButton = card.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge {id}" });
        await acknowledgeButton.FocusAsync();
        var updated = await page.Locator("#callbacks-summary").TextContentAsync();
        await Expect(page.Locator("#callbacks-summary")).Not.ToHaveTextAsync(updated!);
        await Expect(acknowledgeButton).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("You (sup-7) take this escalation on service job " + job);
        await Chromium.ScreenshotAsync(page, "supervisor-acknowledge-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#supervisor-notice")).ToHaveTextAsync($"You acknowledged {id}.");
        await Expect(card).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "supervisor-acknowledged");

        Assert.Equal("sup-7", (await host.OutputAsync(id)).GetProperty("acknowledgedBy").GetString());
        Assert.Equal("sup-7", (await WaitForEscalationAsync(host, "acknowledged", id)).GetProperty("acknowledgedBy").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TwoSupervisors_AcknowledgeOneEscalation_ExactlyOneWins_AndTheOtherIsToldWho()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var raised = await host.Webhooks.EscalationRaisedAsync(CallCenterEndToEndTests.NewId("JOB"), "safety-risk", "threats-or-harassment", "agent-8", "customer");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(raised);
        await WaitForEscalationAsync(host, "open", id);
        var (aliceContext, alice, aliceErrors) = await chromium.NewPageAsync();
        await using var _ = aliceContext;
        var (bobContext, bob, bobErrors) = await chromium.NewPageAsync();
        await using var __ = bobContext;

        await SignInAsync(alice, host, TestTokens.Person("alice", "Supervisor"));
        await SignInAsync(bob, host, TestTokens.Person("bob", "Supervisor"));
        var aliceCard = alice.Locator($"#escalations-open li[data-escalation-id='{id}']");
        var bobCard = bob.Locator($"#escalations-open li[data-escalation-id='{id}']");
        await Expect(aliceCard).ToContainTextAsync("Potential Risk team · High");
        await Expect(bobCard).ToContainTextAsync("Potential Risk team · High");

        // Bob opens the confirmation (the page does not refresh under it); alice acknowledges meanwhile; then bob confirms.
        await bobCard.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge {id}" }).ClickAsync();
        var bobDialog = bob.GetByRole(AriaRole.Dialog);
        await Expect(bobDialog).ToBeVisibleAsync();
        await aliceCard.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge {id}" }).ClickAsync();
        await alice.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(alice.Locator("#supervisor-notice")).ToHaveTextAsync($"You acknowledged {id}.");

        await bobDialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(bobDialog).ToBeHiddenAsync();
        var told = bob.Locator("#supervisor-notice");
        await Expect(told).ToContainTextAsync("acknowledged by alice"); // "already acknowledged by alice", or "… is Completed, acknowledged by alice" once her event ended the flow
        await Expect(told).ToHaveClassAsync(new Regex(@"\bflag\b"));
        await Expect(bobCard).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(alice, "supervisor-race-winner");
        await Chromium.ScreenshotAsync(bob, "supervisor-race-told-who");

        Assert.Equal("alice", (await host.OutputAsync(id)).GetProperty("acknowledgedBy").GetString());
        Assert.Empty(aliceErrors);
        Assert.Empty(bobErrors);
    }

    [Fact]
    public async Task ACountdownReachingZero_TurnsTheCardBreached_OnTheSpot_InWordsAndColour()
    {
        // A claimed callback must be completed within 30 s here (4 h by default).
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:SupervisorCallback:CompletionDeadline"] = "00:00:30" });
        using var requested = await host.Webhooks.SupervisorRequestedAsync(CallCenterEndToEndTests.NewId("call"), "agent-clock", "cust-clock", supervisorAvailable: false);
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(requested);
        await Eventually.WaitUntilAsync(async () => (await host.CallbackAsync(id)).ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "the callback task");

        // Claimed, and seen by the flow: its completion deadline (the card's dueTime) is set for good, not moved when the flow catches up.
        using (var claim = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", new { }, TestTokens.Person("sup-clock", "Supervisor")))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        await Eventually.WaitUntilAsync(
            async () => (await host.StatusAsync(id)) is { ValueKind: JsonValueKind.Object } status
                && status.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom
                && custom.GetProperty("phase").GetString() == "WaitingForCompletion",
            TimeSpan.FromSeconds(30),
            "the flow to see the claim");
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;
        await SignInAsync(page, host, TestTokens.Person("sup-clock", "Supervisor"));

        // The countdown of the completion deadline runs out on the page before the server says anything. The view's
        // refresh is paused meanwhile (the page's own switch, on the flows view's form): the server records the breach at
        // the same moment (its timer is on time), and a refresh then would move the card to the Breached column before
        // this could look at it in the Claimed one.
        var claimed = page.Locator($"#callbacks-claimed li[data-callback-id='{id}']");
        await Expect(claimed.Locator(".countdown")).ToHaveTextAsync(new Regex(@"^Complete within 00:[0-3]\d "));
        await page.EvalOnSelectorAsync("#auto-refresh", "box => box.checked = false");
        await Expect(claimed.Locator(".state")).ToHaveTextAsync("Claimed by sup-clock");
        await Expect(claimed).Not.ToHaveClassAsync(new Regex(@"\bbreached\b"));
        await Chromium.ScreenshotAsync(page, "supervisor-callback-countdown");
        await Expect(claimed).ToHaveClassAsync(new Regex(@"\bbreached\b"), new() { Timeout = 45_000 });
        await Expect(claimed.Locator(".state")).ToHaveTextAsync("Breached");
        await Expect(claimed.Locator(".countdown")).ToContainTextAsync("Deadline passed");
        await Chromium.ScreenshotAsync(page, "supervisor-callback-breached");

        // Then the server agrees: the flow records the breach and the card moves to the Breached column, still in red, in words.
        await page.EvalOnSelectorAsync("#auto-refresh", "box => box.checked = true");
        var breached = page.Locator($"#callbacks-breached li[data-callback-id='{id}']");
        await Expect(breached).ToHaveClassAsync(new Regex(@"\bbreached\b"), new() { Timeout = 45_000 });
        await Expect(breached.Locator(".state")).ToHaveTextAsync("Breached");
        Assert.Equal("breached", (await host.CallbackAsync(id)).GetProperty("status").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task OpsPerson_SeesEveryView_AndTheSupervisorViewIsOneOfThem()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var raised = await host.Webhooks.EscalationRaisedAsync(CallCenterEndToEndTests.NewId("JOB"), "legal-contact", "attorney-on-behalf", "agent-9", "attorney");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(raised);
        await WaitForEscalationAsync(host, "open", id);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await SignInAsync(page, host, TestTokens.Person("ops-lead", "Ops"));

        await Expect(page.Locator("#flows-view")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stuck flows", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Supervisor", Exact = true }).ClickAsync();
        await Expect(page.Locator($"#escalations-open li[data-escalation-id='{id}']")).ToContainTextAsync("Legal · High");
        await Expect(page.Locator("#flows-view")).ToBeHiddenAsync();
        await Chromium.ScreenshotAsync(page, "supervisor-view-as-ops");
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("status=lost")]
    [InlineData("top=0")]
    [InlineData("top=1001")]
    public async Task ListEscalations_BadQuery_Is400_OnAzuriteToo(string query)
    {
        await using var host = await CallCenterHost.StartAsync(azurite);

        using var response = await host.SendAsync(HttpMethod.Get, "/api/escalations?" + query, key: CallCenterHost.SupervisorKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task SignInAsync(IPage page, CallCenterHost host, string token)
    {
        await Chromium.SignInAsync(page, host.Http.BaseAddress!, token);
        await Expect(page.Locator("#role-line")).ToContainTextAsync("Signed in as ");
    }

    private static async Task<JsonElement> WaitForEscalationAsync(CallCenterHost host, string status, string id)
    {
        JsonElement found = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var response = await host.SendAsync(HttpMethod.Get, $"/api/escalations?status={status}", key: CallCenterHost.SupervisorKey);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var list = await response.Content.ReadFromJsonAsync<JsonElement>();
                found = list.EnumerateArray().FirstOrDefault(e => e.GetProperty("escalationId").GetString() == id);
                return found.ValueKind == JsonValueKind.Object && (status != "open" || found.GetProperty("dueTime").ValueKind == JsonValueKind.String);
            },
            TimeSpan.FromSeconds(30),
            $"{id} in the {status} escalations");
        return found;
    }

}
