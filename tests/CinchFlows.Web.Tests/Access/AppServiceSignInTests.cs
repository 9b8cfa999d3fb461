using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Shared;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Access;

/// <summary>
/// People signed in by App Service (Easy Auth): its <c>X-MS-CLIENT-PRINCIPAL</c> header names the person, only with
/// <c>Identity:AppServiceAuthentication</c> on and the page's <c>X-CinchFlows-Page</c> header; anything wrong is 401.
/// </summary>
public sealed class AppServiceSignInTests : IClassFixture<AppServiceSignInApp>, IClassFixture<InProcessApp>
{
    private const string SignIn = "/.auth/login/aad?post_login_redirect_uri=/api/ops/";

    private readonly AppServiceSignInApp app;
    private readonly InProcessApp appWithoutIt;

    public AppServiceSignInTests(AppServiceSignInApp app, InProcessApp appWithoutIt)
    {
        this.app = app;
        this.appWithoutIt = appWithoutIt;
    }

    private CallbackTaskClient Callbacks => app.Services.GetRequiredService<CallbackTaskClient>();

    [Fact]
    public async Task SignedInSupervisor_ClaimsAsThemselves_AndNeverAsAlice()
    {
        var mine = await OpenCallbacks.SeedAsync(Callbacks, "callback-easyauth-");
        var alices = await OpenCallbacks.SeedAsync(Callbacks, "callback-easyauth-");
        var bob = TestTokens.AppServicePrincipal("Bob@Contoso.test", ["Supervisor"]);

        using var claim = await SendAsync(app, HttpMethod.Post, $"/api/callbacks/{mine}/claim", bob, JsonContent.Create(new { }));
        using var asAlice = await SendAsync(app, HttpMethod.Post, $"/api/callbacks/{alices}/claim", bob, JsonContent.Create(new { supervisorId = "alice@contoso.test" }));

        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Equal("bob@contoso.test", (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString());
        Assert.Equal("bob@contoso.test", (await Callbacks.GetAsync(mine, default))!.ClaimedBy);
        Assert.Equal(HttpStatusCode.Forbidden, asAlice.StatusCode);
        Assert.Contains("nobody acts as someone else", await asAlice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CallbackStatus.Open, (await Callbacks.GetAsync(alices, default))!.Status);
    }

    [Fact]
    public async Task Me_IsThePerson_WithTheKnownRolesOnly()
    {
        using var response = await SendAsync(app, HttpMethod.Get, "/api/me", TestTokens.AppServicePrincipal("Carol@Contoso.test", ["Supervisor", "Reader", "Ops"]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("carol@contoso.test", me.GetProperty("id").GetString());
        Assert.Equal("person", me.GetProperty("kind").GetString());
        Assert.Equal("supervisor,ops", string.Join(",", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString())));
    }

    [Fact]
    public async Task LongClaimTypeNames_AndNoPreferredUsername_TheObjectIdIsTheId()
    {
        var oid = Guid.NewGuid().ToString();

        using var response = await SendAsync(
            app, HttpMethod.Get, "/api/me", TestTokens.AppServicePrincipal("Dana", ["Ops"], objectId: oid, longNames: true, preferredUsername: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(oid, me.GetProperty("id").GetString());
        Assert.Equal("Dana", me.GetProperty("name").GetString());
        Assert.Equal("ops", string.Join(",", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString())));
    }

    [Fact]
    public async Task WithTheSettingOff_TheHeaderIsIgnored_401_AndNoSignInLink()
    {
        var id = await OpenCallbacks.SeedAsync(appWithoutIt.Services.GetRequiredService<CallbackTaskClient>(), "callback-easyauth-off-");
        var bob = TestTokens.AppServicePrincipal("bob@contoso.test", ["Supervisor", "Ops"]);

        using var me = await SendAsync(appWithoutIt, HttpMethod.Get, "/api/me", bob);
        using var claim = await SendAsync(appWithoutIt, HttpMethod.Post, $"/api/callbacks/{id}/claim", bob, JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.False((await me.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("signIn", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, claim.StatusCode);
        Assert.Null((await appWithoutIt.Services.GetRequiredService<CallbackTaskClient>().GetAsync(id, default))!.ClaimedBy);
    }

    [Fact]
    public async Task WithTheSettingOn_A401SaysWhereToSignIn()
    {
        using var nobody = await app.SendAsync(HttpMethod.Get, "/api/me", key: null);
        using var wrongKey = await app.SendAsync(HttpMethod.Get, "/api/callbacks", "not-a-key-of-this-service");

        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        Assert.Equal(SignIn, (await nobody.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signIn").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(SignIn, (await wrongKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signIn").GetString());
    }

    [Fact]
    public async Task WithoutThePageHeader_Is401_AndNothingChanges()
    {
        var id = await OpenCallbacks.SeedAsync(Callbacks, "callback-easyauth-csrf-");
        var bob = TestTokens.AppServicePrincipal("bob@contoso.test", ["Supervisor"]);

        using var claim = await SendAsync(app, HttpMethod.Post, $"/api/callbacks/{id}/claim", bob, JsonContent.Create(new { }), pageHeader: null);
        using var wrongValue = await SendAsync(app, HttpMethod.Get, "/api/me", bob, pageHeader: "yes");

        Assert.Equal(HttpStatusCode.Unauthorized, claim.StatusCode);
        Assert.Equal("application/problem+json", claim.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-CinchFlows-Page: 1", (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongValue.StatusCode);
        Assert.Equal(CallbackStatus.Open, (await Callbacks.GetAsync(id, default))!.Status);
    }

    public static TheoryData<string, string> BadHeaders()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        const string Bob = "[{\"typ\":\"preferred_username\",\"val\":\"bob\"},{\"typ\":\"roles\",\"val\":\"Ops\"}]";
        return new()
        {
            { "not Base64", "this is not base64!" },
            { "not JSON", Encode("not json") },
            { "not UTF-8", Convert.ToBase64String([0xff, 0xfe, 0xfd]) },
            { "a claim not UTF-8", Convert.ToBase64String([.. Encoding.UTF8.GetBytes("{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"preferred_username\",\"val\":\""), 0xff, 0xfe, .. Encoding.UTF8.GetBytes("\"}]}")]) },
            { "a JSON array", Encode("[]") },
            { "no claims", Encode("{\"auth_typ\":\"aad\"}") },
            { "claims not a list", Encode("{\"auth_typ\":\"aad\",\"claims\":\"bob\"}") },
            { "a claim value not a string", Encode("{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"preferred_username\",\"val\":7}]}") },
            { "a claim not an object", Encode("{\"auth_typ\":\"aad\",\"claims\":[null]}") },
            { "another provider", Encode("{\"auth_typ\":\"google\",\"claims\":" + Bob + "}") },
            { "nobody named", Encode("{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"roles\",\"val\":\"Ops\"}]}") },
            { "deeply nested", Encode("{\"auth_typ\":\"aad\",\"claims\":" + new string('[', 200) + new string(']', 200) + "}") },
            { "oversized (24 KiB and more)", Encode("{\"auth_typ\":\"aad\",\"claims\":" + Bob + ",\"pad\":\"" + new string('x', 20_000) + "\"}") },
        };
    }

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task ABadPrincipalHeader_Is401_Never500(string why, string header)
    {
        using var response = await SendAsync(app, HttpMethod.Get, "/api/me", header);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-MS-CLIENT-PRINCIPAL", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsPerson_Terminates_AndTheActionsLogNamesThem_ASupervisorCannot()
    {
        var id = await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions("easyauth-" + Guid.NewGuid().ToString("N")[..8]));
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the flow to run");

        using var supervisor = await SendAsync(app, HttpMethod.Post, $"/api/instances/{id}/terminate?reason=test-call", TestTokens.AppServicePrincipal("sam@contoso.test", ["Supervisor"]));
        using var ops = await SendAsync(app, HttpMethod.Post, $"/api/instances/{id}/terminate?reason=test-call", TestTokens.AppServicePrincipal("Olga@Contoso.test", ["Ops"]));

        Assert.Equal(HttpStatusCode.Forbidden, supervisor.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ops.StatusCode);
        using var log = await app.SendAsync(HttpMethod.Get, $"/api/ops/flows/{id}/actions", TestKeys.Ops);
        var terminate = Assert.Single((await log.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), a => a.GetProperty("outcome").GetInt32() == 202);
        Assert.Equal(("terminate", "olga@contoso.test", "ops", "test-call"), (
            terminate.GetProperty("action").GetString(), terminate.GetProperty("by").GetString(), terminate.GetProperty("role").GetString(), terminate.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task ABearerToken_GoesBeforeTheSignInHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", TestTokens.AppServicePrincipal("bob@contoso.test", ["Ops"]));
        request.Headers.Add("X-CinchFlows-Page", "1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Person("alice@contoso.test", "Supervisor"));

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice@contoso.test", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    // What the page sends behind App Service: the principal App Service adds, the page's own header, no credential.
    private static async Task<HttpResponseMessage> SendAsync(InProcessApp target, HttpMethod method, string path, string principal, HttpContent? content = null, string? pageHeader = "1")
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-IDP", "aad");
        if (pageHeader is not null)
        {
            request.Headers.Add("X-CinchFlows-Page", pageHeader);
        }

        return await target.Client.SendAsync(request);
    }
}
