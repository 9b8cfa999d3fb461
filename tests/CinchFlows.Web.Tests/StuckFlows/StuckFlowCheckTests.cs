using System.Text.Json.Nodes;
using CinchFlows.Flows.Notifications;
using CinchFlows.Web.Management;
using CinchFlows.Web.StuckFlows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Web.Tests.StuckFlows;

/// <summary>The stuck-flow check at the seams to the engine (Moq on <see cref="DurableTaskClient"/> and the history) and to ops (the publisher).</summary>
public sealed class StuckFlowCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);
    private static readonly JsonObject[] Ended = [Event("ExecutionStarted"), Event("ExecutionCompleted", 1)];

    [Fact]
    public async Task Each_stuck_flow_is_told_to_ops_once_however_many_checks_find_it()
    {
        var published = new List<Notification>();
        var check = Check(
            [Flow("f1-stuck", Now.AddMinutes(-30)), Flow("f1-moving", Now.AddMinutes(-1))],
            id => Ended,
            notification => published.Add(notification));

        var first = await check.CheckAsync(CancellationToken.None);
        var second = await check.CheckAsync(CancellationToken.None);

        Assert.Equal(["f1-stuck"], first!.Findings.Select(f => f.InstanceId));
        Assert.Equal(1, first.Looked);
        Assert.Single(second!.Findings);
        var alert = Assert.Single(published);
        Assert.Equal(NotificationTopic.OpsAlerts, alert.Topic);
        Assert.Equal("stuck:f1-stuck:EndedButShownRunning", alert.MessageId);
        Assert.Equal("flow.stuck", alert.Subject);
        Assert.Equal("f1-stuck", alert.Properties["flowId"]);
        Assert.Equal("EndedButShownRunning", alert.Body.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_alert_that_could_not_be_sent_is_sent_by_the_next_check()
    {
        var attempts = 0;
        var check = Check([Flow("f1-stuck", Now.AddMinutes(-30))], _ => Ended, _ =>
        {
            if (++attempts == 1)
            {
                throw new InvalidOperationException("broker down");
            }
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => check.CheckAsync(CancellationToken.None));
        await check.CheckAsync(CancellationToken.None);
        await check.CheckAsync(CancellationToken.None);

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task The_quietest_flows_are_read_first_and_no_more_than_MaxChecked()
    {
        var read = new List<string>();
        var check = Check(
            [Flow("newer", Now.AddMinutes(-20)), Flow("oldest", Now.AddHours(-5)), Flow("older", Now.AddHours(-1))],
            id =>
            {
                read.Add(id);
                return [Event("ExecutionStarted")];
            },
            _ => { },
            new StuckFlowOptions { MaxChecked = 2 });

        var report = await check.FindAsync(CancellationToken.None);

        Assert.Equal(["oldest", "older"], read);
        Assert.Equal(2, report.Looked);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public async Task Switched_off_the_scheduled_check_reads_nothing()
    {
        var client = new Mock<DurableTaskClient>("test");
        var check = new StuckFlowCheck(
            client.Object,
            Mock.Of<IInstanceHistory>(),
            new InMemoryStuckFlowLedger(),
            Mock.Of<INotificationPublisher>(),
            Monitor(new StuckFlowOptions { Enabled = false }),
            new FakeTimeProvider(Now),
            NullLogger<StuckFlowCheck>.Instance);

        Assert.Null(await check.CheckAsync(CancellationToken.None));
        client.VerifyNoOtherCalls();
    }

    private static StuckFlowCheck Check(OrchestrationMetadata[] flows, Func<string, JsonObject[]> histories, Action<Notification> publish, StuckFlowOptions? options = null)
    {
        var client = new Mock<DurableTaskClient>("test");
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns<OrchestrationQuery?>(query =>
            {
                Assert.Equal([OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running], query!.Statuses);
                return Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>([.. flows])));
            });
        var history = new Mock<IInstanceHistory>();
        history.Setup(h => h.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>((id, _) => Task.FromResult<IReadOnlyList<JsonObject>>(histories(id)));
        var publisher = new Mock<INotificationPublisher>();
        publisher.Setup(p => p.PublishAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()))
            .Returns<Notification, CancellationToken>((n, _) =>
            {
                publish(n);
                return Task.CompletedTask;
            });
        return new StuckFlowCheck(
            client.Object,
            history.Object,
            new InMemoryStuckFlowLedger(),
            publisher.Object,
            Monitor(options ?? new StuckFlowOptions()),
            new FakeTimeProvider(Now),
            NullLogger<StuckFlowCheck>.Instance);
    }

    private static IOptionsMonitor<StuckFlowOptions> Monitor(StuckFlowOptions options) =>
        Mock.Of<IOptionsMonitor<StuckFlowOptions>>(m => m.CurrentValue == options);

    private static OrchestrationMetadata Flow(string id, DateTimeOffset lastUpdated) =>
        new("MedicalEmergencyTransfer", id)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
            CreatedAt = lastUpdated.AddMinutes(-5),
            LastUpdatedAt = lastUpdated,
        };

    private static JsonObject Event(string type, int? status = null) =>
        status is null ? new JsonObject { ["EventType"] = type } : new JsonObject { ["EventType"] = type, ["OrchestrationStatus"] = status };
}
