using CinchFlows.DurableHub;
using CinchFlows.IntegrationTests.Infrastructure;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.IntegrationTests.Engine;

/// <summary>
/// Durable timers on the Azure Storage backend come due on time although the worker's queue polling has backed off:
/// the adapter wakes the backend's pollers when a timer this worker set comes due (docs/engine.md, "The hub's adapter").
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TimerWakeUpsTests(AzuriteFixture azurite)
{
    [Fact]
    public void The_pinned_backend_has_the_poller_the_wake_ups_reset()
    {
        // Found by reflection on DurableTask.AzureStorage 2.11.3; another version without it fails here, not silently.
        Assert.True(TimerWakeUps.IsAvailable);
    }

    [Fact]
    public void Timers_coming_due_together_are_one_wake_up_and_none_wakes_early()
    {
        var start = new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        using var backend = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = "wakeups",
            StorageAccountClientProvider = new StorageAccountClientProvider(azurite.ConnectionString),
        });
        using var wakeUps = new TimerWakeUps(backend, time);

        wakeUps.At(start.UtcDateTime.AddSeconds(10.01), "a");
        wakeUps.At(start.UtcDateTime.AddSeconds(10.03), "b");
        wakeUps.At(start.UtcDateTime.AddSeconds(20), "c");
        Assert.Equal(2, wakeUps.Pending);

        // Both are gathered to 10.1 s.
        time.Advance(TimeSpan.FromSeconds(10.05));
        Assert.Equal(0, wakeUps.WakeUps);

        time.Advance(TimeSpan.FromSeconds(0.05));
        Assert.Equal(1, wakeUps.WakeUps);
        Assert.Equal(1, wakeUps.Pending);

        // One set before the earliest re-arms the timer for it.
        wakeUps.At(start.UtcDateTime.AddSeconds(15), "d");
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, wakeUps.WakeUps);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, wakeUps.WakeUps);
        Assert.Equal(0, wakeUps.Pending);
    }

    [Fact]
    public async Task Timers_come_due_within_seconds_while_polling_has_backed_off_towards_60_s()
    {
        // With nothing else to do, the backend's control-queue poller backs off towards Durable:MaxQueuePollingInterval
        // after the timers are set: by 30 s it waits many seconds between polls, so a timer found by polling alone is
        // typically that late. Three timers all within 5 s of due would be luck without the wake-ups. Four partitions:
        // only a timer's own control queue is woken, so a wrong one would leave its timer to polling.
        await using var host = await HubHost.StartAsync(azurite.ConnectionString, azurite.NewTaskHub(), settings: new Dictionary<string, string?>
        {
            ["Durable:MaxQueuePollingInterval"] = "00:01:00",
            ["Durable:PartitionCount"] = "4",
        });
        var seconds = new[] { 30, 32, 34 };
        var ids = new List<string>();
        foreach (var delay in seconds)
        {
            ids.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync("SleepUntilDue", delay));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var done = await host.WaitForAsync(ids[i], m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, TimeSpan.FromSeconds(120));

            // The step that took the timer in was committed this long after the timer was due (it errs long by that
            // step's own time, never short).
            var due = done.ReadOutputAs<DateTime>();
            var late = done.LastUpdatedAt.UtcDateTime - DateTime.SpecifyKind(due, DateTimeKind.Utc);
            Assert.True(late < TimeSpan.FromSeconds(5), $"{ids[i]}: its {seconds[i]}-s timer was acted on {late.TotalSeconds:0.0} s after it was due");
        }
    }
}
