using System.Text.RegularExpressions;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CinchFlows.IntegrationTests.Ops;

/// <summary>
/// The ops page in headless Chromium against the real service (HTTP host, Azurite) and flows started by
/// signed webhooks. Every wait is on a page condition (Playwright's expect); screenshots go to artifacts/screenshots/.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class OpsPageBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // The host as behind App Service's built-in authentication (Easy Auth).
    private static readonly Dictionary<string, string?> AppServiceSignIn = new() { ["Identity:AppServiceAuthentication"] = "true" };

    private Chromium chromium = null!;

    public async Task InitializeAsync() => chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await chromium.DisposeAsync();

    [Fact]
    public async Task OpsPerson_SeesAWebhookFlow_ItsTimeline_AndTerminatesIt()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var (call, id) = await FlagMedicalEmergencyAsync(host, "ops");
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await SignInAsync(page, host, TestTokens.Person("ops-lead@contoso.test", "Ops"));

        await Expect(page.Locator("#role-line")).ToHaveTextAsync("Signed in as ops-lead@contoso.test (ops)");
        await Expect(page.Locator("#read-only")).ToBeHiddenAsync();
        await Expect(page.GetByLabel(Chromium.SignInLabel)).ToBeHiddenAsync();

        // Listed, with where it stands, by the page's own refresh.
        var row = page.Locator($"#flows-table tr[data-instance-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Medical-emergency transfer");
        await Expect(row).ToContainTextAsync("waiting for Customer Service");
        await Chromium.ScreenshotAsync(page, "ops-flows-list");

        // Found by its call id.
        await page.GetByLabel("Search by").SelectOptionAsync("callId");
        await page.GetByLabel("Id", new() { Exact = true }).FillAsync(call);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.Locator("#flows-summary")).ToContainTextAsync($"for call {call}");
        await Expect(page.Locator("#flows-table tbody tr")).ToHaveCountAsync(1);

        // Its detail: status, what it waits for, the timeline, the input.
        await row.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        var detail = page.Locator("#detail");
        await Expect(detail.Locator("#detail-heading")).ToHaveTextAsync(id);
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync("Running");
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync("Waiting since");
        await Expect(detail.Locator("#timeline")).ToContainTextAsync("ExecutionStarted");
        await Expect(detail.Locator("#timeline")).ToContainTextAsync("TaskCompleted · SendTelephonyCommandActivity");
        await Expect(detail.Locator("#detail-input")).ToContainTextAsync(call);
        await Chromium.ScreenshotAsync(page, "ops-flow-detail");

        // Terminate, through the confirmation.
        await detail.GetByRole(AriaRole.Button, new() { Name = "Terminate…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Reason code (kept in its history)", new() { Exact = false }).FillAsync("test-call");
        await Chromium.ScreenshotAsync(page, "ops-terminate-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync("Terminated", new() { Timeout = 30_000 });
        await Expect(detail.Locator("#timeline")).ToContainTextAsync("reason: test-call");
        await Expect(detail.Locator("#actions-taken")).ToContainTextAsync("terminated by ops-lead@contoso.test at ");
        await Expect(detail.Locator("#actions-taken")).ToContainTextAsync("(reason test-call)");
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Terminate…" })).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(page, "ops-flow-terminated");

        Assert.Equal("Terminated", (await host.StatusAsync(id)).GetProperty("runtimeStatus").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task OpsPerson_RaisesAnEvent_WithTheBodyTheDialogFillsIn_AndTheFlowTakesIt()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var (call, id) = await FlagMedicalEmergencyAsync(host, "raise");
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await SignInAsync(page, host, TestTokens.Person("ops-lead@contoso.test", "Ops"));
        await page.Locator($"#flows-table tr[data-instance-id='{id}']").GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        var detail = page.Locator("#detail");

        // Its transfer is out: the dialog fills the connection in from it.
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync("to answer");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Raise event…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Event name")).ToHaveValueAsync("TransferConnected");
        await Expect(dialog.GetByLabel("Event name").Locator("option")).ToHaveTextAsync(["TransferConnected", "TransferFailed", "CallEnded"]);
        var body = dialog.GetByLabel("Event data (JSON)");
        await Expect(body).ToHaveValueAsync(new Regex($"\"callId\": \"{Regex.Escape(call)}\""));
        await Expect(body).ToHaveValueAsync(new Regex("\"targetExtension\": \"[^\"]+\""));
        await Expect(dialog).ToContainTextAsync("TransferConnected takes only callId (the call), targetExtension");

        // Another event fills its own fields.
        await dialog.GetByLabel("Event name").SelectOptionAsync("CallEnded");
        await Expect(body).ToHaveValueAsync(new Regex($"^\\{{\\s*\"callId\": \"{Regex.Escape(call)}\"\\s*\\}}$"));
        await dialog.GetByLabel("Event name").SelectOptionAsync("TransferConnected");
        await Chromium.ScreenshotAsync(page, "ops-raise-event");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(detail.Locator("#actions-taken")).ToContainTextAsync("event TransferConnected raised by ops-lead@contoso.test at ");
        await Expect(detail.Locator("#actions-taken")).Not.ToContainTextAsync("refused");

        Assert.Equal("Connected", (await host.OutputAsync(id)).GetProperty("outcome").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AStuckFlow_IsListedWithWhatToDo_AndRepairedAfterConfirmation()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01",
            ["StuckFlows:QuietFor"] = "00:00:01",
        });
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-stuck", "cust-stuck");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        Assert.Equal("NotConnected", (await host.OutputAsync(id)).GetProperty("outcome").GetString());

        // The state a crash between the backend's history and status writes leaves (Azure/durabletask issue 1252).
        var instances = new Azure.Data.Tables.TableClient(azurite.ConnectionString, host.TaskHub + "Instances");
        var stored = (await instances.GetEntityAsync<Azure.Data.Tables.TableEntity>(id, string.Empty)).Value;
        stored["RuntimeStatus"] = "Running";
        stored["CompletedTime"] = null;
        await instances.UpdateEntityAsync(stored, stored.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops").ToString());
        await page.GetByLabel(Chromium.SignInLabel).FillAsync(TestTokens.Person("oncall-ana", "Ops"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stuck flows" }).ClickAsync();

        // Checked again until it has been quiet past QuietFor (a second).
        var row = page.Locator("#stuck-table tbody tr", new() { HasText = id });
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();
                await Expect(page.Locator("#stuck-summary")).ToContainTextAsync("quiet flows looked at");
                return await row.CountAsync() == 1;
            },
            TimeSpan.FromSeconds(30),
            "the page to list the stuck flow");
        await Expect(row).ToContainTextAsync("Its history ended but its status still says running");
        await Expect(row).ToContainTextAsync("Completed");
        await Chromium.ScreenshotAsync(page, "ops-stuck-flows");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Repair {id}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("You (oncall-ana) are recorded with the repair.");
        await Chromium.ScreenshotAsync(page, "ops-stuck-repair-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row).ToHaveCountAsync(0);

        Assert.Equal("Completed", (await host.StatusAsync(id)).GetProperty("runtimeStatus").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task FlowsList_IsNewestFirst_InTheOrderTheApiPagesIt()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var started = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var requested = await host.Webhooks.SupervisorRequestedAsync(CallCenterEndToEndTests.NewId("call"), "agent-order", "cust-order", supervisorAvailable: false);
            started.Add(await CallCenterEndToEndTests.AcceptedIdAsync(requested));
        }

        var listed = await ListAllAsync(host, pageSize: 2);
        Assert.Equal(Enumerable.Reverse(started), listed);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops").ToString());
        await page.GetByLabel(Chromium.SignInLabel).FillAsync(CallCenterHost.OpsKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var rows = page.Locator("#flows-table tbody tr[data-instance-id]");
        await Expect(rows).ToHaveCountAsync(started.Count);
        var shown = new List<string>();
        foreach (var row in await rows.AllAsync())
        {
            shown.Add((await row.GetAttributeAsync("data-instance-id"))!);
        }

        await Chromium.ScreenshotAsync(page, "ops-flows-newest-first");
        Assert.Equal(listed, shown);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AnF1ThatNeverConnected_IsShownUnmet_NotAsASuccess()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01" });
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-unmet", "cust-unmet");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        Assert.Equal("NotConnected", (await host.OutputAsync(id)).GetProperty("outcome").GetString());
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops").ToString());
        await page.GetByLabel(Chromium.SignInLabel).FillAsync(CallCenterHost.OpsKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Completed as a run, but its goal was not met: amber, with words, never the green of a success.
        var row = page.Locator($"#flows-table tr[data-instance-id='{id}']");
        var badge = row.Locator(".badge");
        await Expect(badge).ToContainTextAsync("not connected");
        await Expect(badge).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunmet\b"));
        await Expect(badge).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bCompleted\b"));
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunmet\b"));

        await row.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        await Expect(page.Locator("#detail-facts")).ToContainTextAsync("not connected");

        // The notifications it sent, from its history: the supervisor alert with the callback it opened.
        var alert = page.Locator("#notifications tbody tr", new() { HasText = "medical-transfer.not-connected" });
        await Expect(alert).ToContainTextAsync("SupervisorNotifications");
        await Expect(alert).ToContainTextAsync("sent");
        await Expect(alert).ToContainTextAsync($"{id}:supervisor-alert");
        await Expect(alert.Locator("pre")).ToContainTextAsync("callback-" + id);
        await Chromium.ScreenshotAsync(page, "ops-flow-unmet");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SupervisorPerson_ClaimsAndCompletesACallback_AsThemselves()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var call = CallCenterEndToEndTests.NewId("call");
        using var requested = await host.Webhooks.SupervisorRequestedAsync(call, "agent-sup", "cust-sup", supervisorAvailable: false);
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(requested);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops/").ToString());
        await page.GetByLabel(Chromium.SignInLabel).FillAsync(TestTokens.Person("sup-browser", "Supervisor"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // A supervisor sees the supervisor view only, and acts as the signed-in person (no id to type).
        await Expect(page.Locator("#role-line")).ToHaveTextAsync("Signed in as sup-browser (supervisor)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Flows" })).ToBeHiddenAsync();

        var open = page.Locator($"#callbacks-open li[data-callback-id='{id}']");
        await Expect(open).ToBeVisibleAsync();
        await Expect(open.Locator(".countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Claim within 1[45]:\d\d "));
        await Expect(open.Locator(".state")).ToHaveTextAsync("Open: waiting for a claim");
        await Chromium.ScreenshotAsync(page, "callbacks-open");
        await open.GetByRole(AriaRole.Button, new() { Name = $"Claim {id}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        var claimed = page.Locator($"#callbacks-claimed li[data-callback-id='{id}']");
        await Expect(claimed).ToContainTextAsync("sup-browser");
        await Chromium.ScreenshotAsync(page, "callbacks-claimed");

        // The flow must have seen the claim before it takes a completion (409 otherwise, shown in the dialog).
        await Eventually.WaitUntilAsync(
            async () => (await host.StatusAsync(id)).GetProperty("customStatus").GetProperty("phase").GetString() == "WaitingForCompletion",
            TimeSpan.FromSeconds(30),
            "the flow to see the claim");
        await claimed.GetByRole(AriaRole.Button, new() { Name = $"Complete {id}" }).ClickAsync();
        await dialog.GetByLabel("Outcome code (lowercase, digits, -), e.g. resolved").FillAsync("resolved");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(claimed).ToHaveCountAsync(0);
        await Expect(page.Locator($"#callbacks-completed li[data-callback-id='{id}']")).ToContainTextAsync("Completed by sup-browser at ");
        await Expect(page.Locator($"#callbacks-completed li[data-callback-id='{id}']")).ToContainTextAsync("resolved");
        await Chromium.ScreenshotAsync(page, "callbacks-completed");

        var output = await host.OutputAsync(id);
        Assert.Equal(("Completed", "sup-browser"), (output.GetProperty("outcome").GetString(), output.GetProperty("claimedBy").GetString()));
        Assert.Equal("completed", (await host.CallbackAsync(id)).GetProperty("status").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Keys_AreReadOnly_TheActionButtonsSayToSignInAsAPerson_AndNothingChanges()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-key", "cust-key");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        using var requested = await host.Webhooks.SupervisorRequestedAsync(CallCenterEndToEndTests.NewId("call"), "agent-key", "cust-key", supervisorAvailable: false);
        var callback = await CallCenterEndToEndTests.AcceptedIdAsync(requested);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        // An ops key still reads everything: the list, a flow's detail.
        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops").ToString());
        await page.GetByLabel(Chromium.SignInLabel).FillAsync(CallCenterHost.OpsKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#role-line")).ToContainTextAsync("read-only, sign in as a person to act");
        await Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        var row = page.Locator($"#flows-table tr[data-instance-id='{id}']");
        await row.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        await Expect(page.Locator("#detail-facts")).ToContainTextAsync("Running");

        // Acting explains instead: no confirmation, nothing sent.
        await page.Locator("#detail").GetByRole(AriaRole.Button, new() { Name = "Terminate…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("sign in as yourself");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Supervisor", Exact = true }).ClickAsync();
        var open = page.Locator($"#callbacks-open li[data-callback-id='{callback}']");
        await open.GetByRole(AriaRole.Button, new() { Name = $"Claim {callback}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("sign in as yourself");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Chromium.ScreenshotAsync(page, "ops-key-read-only");

        Assert.Equal("Running", (await host.StatusAsync(id)).GetProperty("runtimeStatus").GetString());
        Assert.Equal("open", (await host.CallbackAsync(callback)).GetProperty("status").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task WrongKey_IsSaidPlainly_AndNothingIsShown()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops").ToString());
        await page.GetByLabel(Chromium.SignInLabel).FillAsync("not-a-key-of-this-service");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("401");
        await Expect(page.Locator("#flows-view")).ToBeHiddenAsync();
        await Expect(page.Locator("#callbacks-view")).ToBeHiddenAsync();
        await Expect(page.GetByLabel(Chromium.SignInLabel)).ToBeFocusedAsync();

        // Without App Service sign-in (the standalone host, and this one) the paste box is the only way in.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" })).ToBeHiddenAsync();
        await Chromium.ScreenshotAsync(page, "wrong-key");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task BehindAppServiceSignIn_ThePersonIsSignedInWithoutPasting_AndClaimsAsThemselves()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, AppServiceSignIn);
        using var requested = await host.Webhooks.SupervisorRequestedAsync(CallCenterEndToEndTests.NewId("call"), "agent-easyauth", "cust-easyauth", supervisorAvailable: false);
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(requested);

        // What App Service adds to every request of a browser whose person signed in with Microsoft.
        var (context, page, errors) = await chromium.NewPageAsync(new Dictionary<string, string>
        {
            ["X-MS-CLIENT-PRINCIPAL"] = TestTokens.AppServicePrincipal("Bob@Contoso.test", ["Supervisor"]),
            ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
        });
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops/").ToString());

        await Expect(page.Locator("#role-line")).ToHaveTextAsync("Signed in as bob@contoso.test (supervisor)");
        await Expect(page.GetByLabel(Chromium.SignInLabel)).ToBeHiddenAsync();
        var signOut = page.GetByRole(AriaRole.Link, new() { Name = "Sign out" });
        await Expect(signOut).ToHaveAttributeAsync("href", "/.auth/logout?post_logout_redirect_uri=/api/ops/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();

        var open = page.Locator($"#callbacks-open li[data-callback-id='{id}']");
        await open.GetByRole(AriaRole.Button, new() { Name = $"Claim {id}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("You (bob@contoso.test) will call customer cust-easyauth back.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var claimed = page.Locator($"#callbacks-claimed li[data-callback-id='{id}']");
        await Expect(claimed).ToContainTextAsync("bob@contoso.test");
        await Chromium.ScreenshotAsync(page, "app-service-signed-in");

        Assert.Equal("bob@contoso.test", (await host.CallbackAsync(id)).GetProperty("claimedBy").GetString());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task BehindAppServiceSignIn_NotSignedIn_ThePageOffersSignInWithMicrosoft_AboveThePasteBox()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, AppServiceSignIn);
        var (context, page, errors) = await chromium.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/api/ops/").ToString());

        var signIn = page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" });
        await Expect(signIn).ToBeVisibleAsync();
        await Expect(signIn).ToHaveAttributeAsync("href", "/.auth/login/aad?post_login_redirect_uri=/api/ops/");
        await Expect(page.GetByLabel(Chromium.SignInLabel)).ToBeVisibleAsync();
        await Expect(page.Locator("#alert")).ToBeHiddenAsync();
        await Expect(page.Locator("#views")).ToBeHiddenAsync();
        var linkBox = await signIn.BoundingBoxAsync();
        var pasteBox = await page.GetByLabel(Chromium.SignInLabel).BoundingBoxAsync();
        Assert.True(linkBox!.Y + linkBox.Height <= pasteBox!.Y, $"the link ({linkBox.Y}) is above the paste box ({pasteBox.Y})");
        await Chromium.ScreenshotAsync(page, "app-service-sign-in-offered");
        Assert.Empty(errors);
    }

    /// <summary>A medical-emergency flow started by a signed webhook (agent and customer named after <paramref name="tag"/>): its call and instance ids.</summary>
    private static async Task<(string Call, string Id)> FlagMedicalEmergencyAsync(CallCenterHost host, string tag)
    {
        var call = CallCenterEndToEndTests.NewId("call");
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-" + tag, "cust-" + tag);
        return (call, await CallCenterEndToEndTests.AcceptedIdAsync(flagged));
    }

    /// <summary>Opens the ops page and signs in with <paramref name="credential"/> (a person's token or a key).</summary>
    private static Task SignInAsync(IPage page, CallCenterHost host, string credential) => Chromium.SignInAsync(page, host.Http.BaseAddress!, credential);

    /// <summary>Every flow of the host's hub as the list API gives them, following the continuation token page by page.</summary>
    private static async Task<List<string>> ListAllAsync(CallCenterHost host, int pageSize)
    {
        var ids = new List<string>();
        string? token = null;
        for (var pages = 1; ; pages++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances?top={pageSize}");
            request.Headers.Add("X-Api-Key", CallCenterHost.OpsKey);
            if (token is not null)
            {
                request.Headers.Add("x-ms-continuation-token", token);
            }

            using var response = await host.Http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            using var page = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.AddRange(page.RootElement.EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!));
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
            if (token is null)
            {
                return ids;
            }

            Assert.True(pages < 100, "paging does not end");
        }
    }
}
