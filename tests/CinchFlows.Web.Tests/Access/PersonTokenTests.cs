using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Access;

/// <summary>People act as themselves: real token validation (signature, audience, lifetime), and a body id only ever the token's.</summary>
public sealed class PersonTokenTests : IClassFixture<InProcessApp>
{
    private readonly InProcessApp app;

    public PersonTokenTests(InProcessApp app) => this.app = app;

    private CallbackTaskClient Callbacks => app.Services.GetRequiredService<CallbackTaskClient>();

    [Fact]
    public async Task ValidPersonToken_ReadsWithItsRole()
    {
        using var response = await app.SendAsPersonAsync(HttpMethod.Get, "/api/callbacks", TestTokens.Person("alice@contoso.test", "Supervisor"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PersonToken_WithoutTheRole_Is403()
    {
        using var response = await app.SendAsPersonAsync(HttpMethod.Get, "/api/instances", TestTokens.Person("alice@contoso.test", "Supervisor"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "wrong signing key", TestTokens.Person("alice@contoso.test", ["Supervisor"], signingKey: "another-signing-key-of-enough-length-0123456789") },
        { "wrong audience", TestTokens.Person("alice@contoso.test", ["Supervisor"], audience: "api://someone-else") },
        { "expired", TestTokens.Person("alice@contoso.test", ["Supervisor"], expires: DateTime.UtcNow.AddMinutes(-10)) },
        { "not a token", "not.a.token" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task InvalidToken_Is401(string why, string token)
    {
        using var response = await app.SendAsPersonAsync(HttpMethod.Get, "/api/callbacks", token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bob_CannotClaimAsAlice_Is403_AndNothingChanges()
    {
        var id = await SeedAsync();

        using var response = await app.SendAsPersonAsync(
            HttpMethod.Post, $"/api/callbacks/{id}/claim", TestTokens.Person("bob@contoso.test", "Supervisor"), JsonContent.Create(new { supervisorId = "alice@contoso.test" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("nobody acts as someone else", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CallbackStatus.Open, (await Callbacks.ListAsync(CallbackStatus.Open, 1000, default)).Single(t => t.CallbackId == id).Status);
    }

    [Fact]
    public async Task Person_ClaimsAndCompletes_AsThemselves_TheBodyIdOptional_TheTokensIdRecorded()
    {
        var id = await SeedAsync();
        var bob = TestTokens.Person("Bob@Contoso.test", "Supervisor");

        using var claim = await app.SendAsPersonAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", bob, JsonContent.Create(new { }));
        using var complete = await app.SendAsPersonAsync(
            HttpMethod.Post, $"/api/callbacks/{id}/complete", bob, JsonContent.Create(new { supervisorId = "bob@contoso.test", outcome = "resolved" }));

        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Equal("bob@contoso.test", (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal("completed", (await complete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AppOnlyToken_CannotAct_Is403()
    {
        var id = await SeedAsync();

        using var response = await app.SendAsPersonAsync(
            HttpMethod.Post, $"/api/callbacks/{id}/claim", TestTokens.AppOnly("Supervisor"), JsonContent.Create(new { supervisorId = "alice@contoso.test" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not a person", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bob_CannotAcknowledgeOrRepairAsAlice_Is403()
    {
        var ops = TestTokens.Person("bob@contoso.test", "Ops");

        using var acknowledge = await app.SendAsPersonAsync(
            HttpMethod.Post, "/api/escalations/esc-unknown-1/acknowledge", ops, JsonContent.Create(new { by = "alice@contoso.test" }));
        using var repair = await app.SendAsPersonAsync(
            HttpMethod.Post, "/api/ops/stuck-flows/flow-unknown-1/repair", ops, JsonContent.Create(new { confirm = true, by = "alice@contoso.test" }));

        Assert.Equal(HttpStatusCode.Forbidden, acknowledge.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, repair.StatusCode);
    }

    [Fact]
    public async Task Me_SaysWhoIsCalling_PersonOrKey()
    {
        using var person = await app.SendAsPersonAsync(HttpMethod.Get, "/api/me", TestTokens.Person("Carol@Contoso.test", "Supervisor", "Ops"));
        using var key = await app.SendAsync(HttpMethod.Get, "/api/me", TestKeys.Supervisor);
        using var nobody = await app.SendAsync(HttpMethod.Get, "/api/me", key: null);

        Assert.Equal(HttpStatusCode.OK, person.StatusCode);
        var me = await person.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("carol@contoso.test", me.GetProperty("id").GetString());
        Assert.Equal("person", me.GetProperty("kind").GetString());
        Assert.Equal("supervisor,ops", string.Join(",", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString())));
        Assert.Equal(HttpStatusCode.OK, key.StatusCode);
        var keyMe = await key.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("key", keyMe.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, keyMe.GetProperty("id").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    private Task<string> SeedAsync() => OpenCallbacks.SeedAsync(Callbacks, "callback-person-");
}
