using CinchFlows.Flows;
using CinchFlows.Web.Management;
using CinchFlows.Web.Retention;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Web.Tests.Retention;

/// <summary>The retention sweep's flow purge, at the seam to the engine (Moq on <see cref="DurableTaskClient"/>).</summary>
public sealed class RetentionSweeperTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Finished_flows_last_changed_before_the_cutoff_are_purged_and_newer_or_running_ones_stay()
    {
        var client = new Mock<DurableTaskClient>("test");
        var instances = new Dictionary<string, OrchestrationMetadata>
        {
            ["old-done"] = Flow("old-done", OrchestrationRuntimeStatus.Completed, Now.AddDays(-40)),
            ["old-failed"] = Flow("old-failed", OrchestrationRuntimeStatus.Failed, Now.AddDays(-31)),
            ["finished-lately"] = Flow("finished-lately", OrchestrationRuntimeStatus.Terminated, Now.AddDays(-2), created: Now.AddDays(-45)),
        };
        OrchestrationQuery? asked = null;
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns<OrchestrationQuery?>(query =>
            {
                asked = query;
                return Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>([.. instances.Values])));
            });
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns<string, bool, CancellationToken>((id, _, _) => Task.FromResult(instances.GetValueOrDefault(id)));
        client.Setup(c => c.PurgeInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PurgeResult(1));

        var report = await Sweeper(client.Object, new RetentionOptions { MaxAge = TimeSpan.FromDays(30) }).SweepAsync(CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(Now.AddDays(-30), report.Cutoff);
        Assert.Equal(2, report.Flows);
        client.Verify(c => c.PurgeInstanceAsync("old-done", It.IsAny<CancellationToken>()), Times.Once);
        client.Verify(c => c.PurgeInstanceAsync("old-failed", It.IsAny<CancellationToken>()), Times.Once);
        client.Verify(c => c.PurgeInstanceAsync("finished-lately", It.IsAny<CancellationToken>()), Times.Never);

        // Only finished flows created before the cutoff are read at all: a running flow is never a candidate.
        Assert.Equal(Now.AddDays(-30), asked!.CreatedTo);
        Assert.Equal([OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated], asked.Statuses!.Order());
    }

    [Fact]
    public async Task A_flow_that_runs_again_under_its_id_since_the_query_is_not_purged()
    {
        var client = new Mock<DurableTaskClient>("test");
        var old = Flow("restarted", OrchestrationRuntimeStatus.Completed, Now.AddDays(-40));
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns(Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>([old]))));
        client.Setup(c => c.GetInstanceAsync("restarted", It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Flow("restarted", OrchestrationRuntimeStatus.Running, Now));

        var report = await Sweeper(client.Object, new RetentionOptions()).SweepAsync(CancellationToken.None);

        Assert.Equal(0, report!.Flows);
        client.Verify(c => c.PurgeInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Switched_off_it_reads_and_deletes_nothing()
    {
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        var report = await Sweeper(client.Object, new RetentionOptions { Enabled = false }).SweepAsync(CancellationToken.None);

        Assert.Null(report);
    }

    [Fact]
    public async Task At_most_MaxPerSweep_flows_go_in_one_sweep()
    {
        var client = new Mock<DurableTaskClient>("test");
        var flows = Enumerable.Range(0, 5).Select(i => Flow($"f{i}", OrchestrationRuntimeStatus.Completed, Now.AddDays(-60))).ToList();
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns(Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>(flows))));
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns<string, bool, CancellationToken>((id, _, _) => Task.FromResult<OrchestrationMetadata?>(flows.Single(f => f.InstanceId == id)));
        client.Setup(c => c.PurgeInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PurgeResult(1));

        var report = await Sweeper(client.Object, new RetentionOptions { MaxPerSweep = 3 }).SweepAsync(CancellationToken.None);

        Assert.Equal(3, report!.Flows);
    }

    private static OrchestrationMetadata Flow(string id, OrchestrationRuntimeStatus status, DateTimeOffset lastUpdated, DateTimeOffset? created = null) =>
        new(FlowNames.SupervisorCallback, id) { RuntimeStatus = status, CreatedAt = created ?? lastUpdated.AddHours(-1), LastUpdatedAt = lastUpdated };

    private static RetentionSweeper Sweeper(DurableTaskClient client, RetentionOptions options) =>
        new(
            client,
            new ManagedInstances(client, Mock.Of<CinchFlows.Flows.Starts.IStartClaims>(), Mock.Of<IInstanceHistory>(), new OrchestratorCatalog(r => r.AddCallCenterFlows())),
            Options.Create(options),
            new FakeTimeProvider(Now),
            NullLogger<RetentionSweeper>.Instance,
            storage: null);
}
