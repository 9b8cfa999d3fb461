using System.Net;
using System.Security.Claims;
using CinchFlows.Web.Access;
using CinchFlows.Web.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Access;

public sealed class ApiKeyAuthenticationTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Fact]
    public async Task ManagementRoute_NoKey_Is401ProblemWithChallenge()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ManagementRoute_UnknownKey_Is401Problem()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances", key: "not-a-key-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not known", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementRoute_SupervisorKey_Is403Problem()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances", key: TestKeys.Supervisor);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ManagementRoute_OpsKey_IsAllowed()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances", key: TestKeys.Ops);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthRoute_NoKey_IsAllowed()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(TestKeys.Ops, AccessPolicies.Ops, true)]
    [InlineData(TestKeys.Ops, AccessPolicies.Supervisor, true)]
    [InlineData(TestKeys.Supervisor, AccessPolicies.Supervisor, true)]
    [InlineData(TestKeys.Supervisor, AccessPolicies.Ops, false)]
    public async Task Policy_ByKeyRole_OpsMayDoWhatSupervisorsMay(string key, string policy, bool allowed)
    {
        var principal = await AuthenticateAsync(key);

        var result = await app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(principal, policy);

        Assert.Equal(allowed, result.Succeeded);
    }

    [Fact]
    public async Task Authenticate_TwoKeyHeaders_Fails()
    {
        // One scope per request, as in the server: the handler provider caches handlers (and their results) per scope.
        using var scope = app.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers["X-Api-Key"] = new([TestKeys.Ops, TestKeys.Ops]);

        var result = await context.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }

    private async Task<ClaimsPrincipal> AuthenticateAsync(string key)
    {
        using var scope = app.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers["X-Api-Key"] = key;
        var result = await context.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme);
        Assert.True(result.Succeeded);
        return result.Principal!;
    }
}
