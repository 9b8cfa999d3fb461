using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Web.Management;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Management;

public sealed class OrchestratorCatalogTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Fact]
    public void Names_AreTheRegisteredOrchestrators_NotTheActivities()
    {
        var catalog = new OrchestratorCatalog(registry => registry
            .AddOrchestrator<WaitingOrchestration>()
            .AddOrchestrator<EchoOrchestration>()
            .AddActivity<EchoActivity>());

        Assert.Equal([nameof(EchoOrchestration), nameof(WaitingOrchestration)], catalog.Names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("WaitingOrchestration", "WaitingOrchestration")]
    [InlineData("waitingorchestration", "WaitingOrchestration")]
    [InlineData("WAITINGORCHESTRATION", "WaitingOrchestration")]
    [InlineData("EchoActivity", null)]
    [InlineData("Waiting", null)]
    [InlineData("", null)]
    public void Find_GivesTheRegisteredName_AnyCase_OrNull(string asked, string? expected)
    {
        var catalog = new OrchestratorCatalog(registry => registry.AddOrchestrator<WaitingOrchestration>().AddActivity<EchoActivity>());

        Assert.Equal(expected, catalog.Find(asked));
    }

    [Fact]
    public void Find_ANameAndALongerOne_EachFindsItself()
    {
        var catalog = new OrchestratorCatalog(registry => registry
            .AddOrchestratorFunc("Approve", (TaskOrchestrationContext _) => Task.FromResult<object?>(null))
            .AddOrchestratorFunc("ApproveAll", (TaskOrchestrationContext _) => Task.FromResult<object?>(null)));

        Assert.Equal("Approve", catalog.Find("approve"));
        Assert.Equal("ApproveAll", catalog.Find("APPROVEALL"));
        Assert.Null(catalog.Find("Approv"));
    }

    [Fact]
    public void TheAppsCatalog_HasTheCallCenterFlowsAndTheTestsOwn()
    {
        var names = app.Services.GetRequiredService<OrchestratorCatalog>().Names;

        Assert.Contains(FlowNames.MedicalEmergencyTransfer, names);
        Assert.Contains(FlowNames.SeverityEscalation, names);
        Assert.Contains(FlowNames.SupervisorCallback, names);
        Assert.Contains(nameof(WaitingOrchestration), names);
        Assert.DoesNotContain(nameof(EchoActivity), names);
    }

    [Fact]
    public async Task Start_NameInAnotherCase_StartsTheRegisteredOrchestrator()
    {
        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/waitingORCHESTRATION/unit-catalog-case");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        using var status = await app.SendAsync(HttpMethod.Get, "/api/instances/unit-catalog-case");
        Assert.Equal(nameof(WaitingOrchestration), (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("NoSuchOrchestration")]
    [InlineData("EchoActivity")]
    public async Task Start_NameNotAnOrchestrator_Is400NamingIt_AndStartsNothing(string name)
    {
        using var response = await app.SendAsync(HttpMethod.Post, $"/api/orchestrators/{name}/unit-catalog-{name}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(name, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync($"unit-catalog-{name}"));
    }
}
