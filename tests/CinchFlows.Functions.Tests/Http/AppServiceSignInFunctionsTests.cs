using System.Text;
using System.Text.Json;
using CinchFlows.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>
/// App Service sign-in (Easy Auth) in the Functions app: the triggers are anonymous to the Functions host, so the gate's
/// role check reads <c>X-MS-CLIENT-PRINCIPAL</c> exactly as the standalone host does, and only with the setting on.
/// </summary>
public sealed class AppServiceSignInFunctionsTests
{
    private static readonly Dictionary<string, string?> SettingOn = new() { ["Identity:AppServiceAuthentication"] = "true" };

    [Fact]
    public async Task Me_IsTheSignedInPerson_WithTheSettingOn_And401WithItOff()
    {
        var bob = TestTokens.AppServicePrincipal("Bob@Contoso.test", ["Supervisor"]);

        var (on, body) = await InvokeAsync("Me", SettingOn, bob);
        var (off, offBody) = await InvokeAsync("Me", settings: null, bob);

        Assert.Equal(StatusCodes.Status200OK, on);
        Assert.Equal("bob@contoso.test", body.GetProperty("id").GetString());
        Assert.Equal("person", body.GetProperty("kind").GetString());
        Assert.Equal(StatusCodes.Status401Unauthorized, off);
        Assert.False(offBody.TryGetProperty("signIn", out _));
    }

    [Fact]
    public async Task Bob_CannotClaimAsAlice_TheHandlerSeesBob()
    {
        var (status, body) = await InvokeAsync(
            "ClaimCallback", SettingOn, TestTokens.AppServicePrincipal("bob@contoso.test", ["Supervisor"]), json: "{\"supervisorId\":\"alice@contoso.test\"}");

        Assert.Equal(StatusCodes.Status403Forbidden, status);
        Assert.Contains("('bob@contoso.test')", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAnOpsPerson_PassesTheGateOfTerminate()
    {
        var (supervisor, _) = await InvokeAsync("TerminateInstance", SettingOn, TestTokens.AppServicePrincipal("sam@contoso.test", ["Supervisor"]));
        var (ops, _) = await InvokeAsync("TerminateInstance", SettingOn, TestTokens.AppServicePrincipal("olga@contoso.test", ["Ops"]));

        Assert.Equal(StatusCodes.Status403Forbidden, supervisor);
        Assert.True(ops is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden), $"ops: {ops}");
    }

    [Fact]
    public async Task WithoutThePageHeader_OrWithABadHeader_Is401_AndSaysWhereToSignIn()
    {
        var (noPage, noPageBody) = await InvokeAsync("Me", SettingOn, TestTokens.AppServicePrincipal("bob@contoso.test", ["Ops"]), pageHeader: false);
        var (bad, badBody) = await InvokeAsync("Me", SettingOn, Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"auth_typ\":\"aad\",\"claims\":7}")));

        Assert.Equal(StatusCodes.Status401Unauthorized, noPage);
        Assert.Contains("X-CinchFlows-Page", noPageBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=/api/ops/", noPageBody.GetProperty("signIn").GetString());
        Assert.Equal(StatusCodes.Status401Unauthorized, bad);
        Assert.Contains("X-MS-CLIENT-PRINCIPAL", badBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    // Calls the function as the worker would, with the headers App Service and the page add; the status and the JSON body.
    private static async Task<(int Status, JsonElement Body)> InvokeAsync(string name, Dictionary<string, string?>? settings, string principal, bool pageHeader = true, string json = "{}")
    {
        var function = RoleCheckTests.HttpFunctions().Single(f => f.Method.Name == name);
        var client = FunctionsServices.Client();
        await using var services = FunctionsServices.Build(client, settings);
        using var body = new MemoryStream();
        var status = await RoleCheckTests.InvokeAsync(services, function, client, request =>
        {
            request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
            request.Headers["X-MS-CLIENT-PRINCIPAL"] = principal;
            request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad";
            if (pageHeader)
            {
                request.Headers["X-CinchFlows-Page"] = "1";
            }
        }, body);
        if (status == -1)
        {
            return (-1, default);
        }

        var text = Encoding.UTF8.GetString(body.ToArray());
        return (status, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
