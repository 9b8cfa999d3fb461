using System.Net;
using System.Text;
using CinchFlows.Web.Tests.Support;

namespace CinchFlows.Web.Tests.Http;

/// <summary>Inputs that once produced a 5xx (found in review): each must be a clear 4xx or work.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private readonly InProcessApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();

    public Task DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task A_blank_event_name_is_a_400()
    {
        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/blank-1");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

        using var raised = await app.SendAsync(HttpMethod.Post, "/api/instances/blank-1/raiseEvent/%20", content: new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, raised.StatusCode);
    }

    [Fact]
    public async Task JSON_nested_deeper_than_the_limit_is_a_400_and_starts_nothing()
    {
        var body = new string('[', 40) + new string(']', 40);

        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/deep-1", content: new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        using var status = await app.SendAsync(HttpMethod.Get, "/api/instances/deep-1");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?showHistory=true")]
    public async Task The_deepest_accepted_input_is_shown_back_without_error(string query)
    {
        var body = new string('[', 32) + new string(']', 32);
        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/deep-ok", content: new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

        using var status = await app.SendAsync(HttpMethod.Get, "/api/instances/deep-ok" + query);
        using var list = await app.SendAsync(HttpMethod.Get, "/api/instances");

        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }
}
