using CinchFlows.DurableHub;
using CinchFlows.Flows.Versioning;
using CinchFlows.Standalone;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Tests.Hosting;

/// <summary>How the standalone host versions its flows (docs/engine.md, "Versions"): what the worker, the client and the hub adapter are given.</summary>
public sealed class FlowVersioningOptionsTests
{
    [Theory]
    [InlineData(null, FlowVersions.Latest)]
    [InlineData(FlowVersions.V1, FlowVersions.V1)]
    [InlineData(" 2.0 ", FlowVersions.V2)]
    public async Task TheWorker_RunsItsVersionOrOlder_AndHandsNewerBack_AndFlowsStartOnIt(string? configured, string expected)
    {
        await using var app = Build(configured);

        var worker = app.Services.GetRequiredService<IOptionsMonitor<DurableTaskWorkerOptions>>().Get(Options.DefaultName).Versioning!;
        Assert.Equal((expected, expected), (worker.Version, worker.DefaultVersion));
        Assert.Equal(DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder, worker.MatchStrategy);
        Assert.Equal(DurableTaskWorkerOptions.VersionFailureStrategy.Reject, worker.FailureStrategy);
        Assert.Equal(expected, app.Services.GetRequiredService<IOptionsMonitor<DurableTaskClientOptions>>().Get(Options.DefaultName).DefaultVersion);
        Assert.Equal(expected, app.Services.GetRequiredService<IOptions<DurableHubOptions>>().Value.Version);
    }

    [Theory]
    [InlineData("3.0")]
    [InlineData("2")]
    [InlineData("v2")]
    public async Task AVersionThisBuildDoesNotKnow_StopsTheHostAtStart_NamingTheKnownOnes(string configured)
    {
        await using var app = Build(configured);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Durable:Version", error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", FlowVersions.Known), error.Message, StringComparison.Ordinal);
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(string? version) =>
        CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Durable:Store"] = "InMemory",
            ["Durable:Version"] = version,
            ["Access:Keys:0:key"] = Support.TestKeys.Ops,
            ["Access:Keys:0:role"] = "ops",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
}
