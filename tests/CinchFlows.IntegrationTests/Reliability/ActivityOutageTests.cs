using CinchFlows.IntegrationTests.Http;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// An activity that finishes while storage is down: its answer cannot be stored, nor can its work item be handed back.
/// Once storage returns, the activity runs again and its flow completes (docs/reliability.md: nothing is lost), also
/// when the outage outlasts the work item's visibility timeout, so that the backend receives the message again before
/// the engine could hand the old one back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ActivityOutageTests(AzuriteFixture azurite)
{
    /// <summary>The engine adapter's "could not hand the work item back, trying again" warning (CinchFlows.DurableHub).</summary>
    private const int AbandonRetrying = 5;

    [Fact]
    public async Task An_activity_answering_while_storage_is_down_runs_again_once_it_returns_and_the_flow_completes()
    {
        await using var storage = StorageProxy.Start(azurite.ConnectionString);
        var logs = new LogRecorder();

        // What a worker held comes back after 10 s (the least the engine allows) rather than a minute.
        await using var app = await HostedApp.StartAsync(
            storage.ConnectionString,
            azurite.NewTaskHub(),
            new Dictionary<string, string?> { ["Durable:MessageVisibilityTimeout"] = "00:00:10" },
            logs);
        var id = "gated-" + Guid.NewGuid().ToString("N")[..8];
        var gate = GatedActivity.For(id);
        await app.StartAsync(nameof(GatedOrchestration), id, "\"x\"");
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        storage.Cut();
        try
        {
            gate.Opened.SetResult();

            // The answer cannot be stored, nor the work item handed back: the engine keeps trying, waiting longer each
            // time. By its 10 s wait (0.5 + 1 + 2 + 4 + 8 s of outage behind it) the message's 10 s visibility has lapsed.
            await Eventually.WaitUntilAsync(
                () => Task.FromResult(logs.Lines.Any(l => l.EventId == AbandonRetrying && l.Message.Contains("trying again in 00:00:10", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(60),
                "the engine to retry handing the activity back for 15 s");
        }
        finally
        {
            storage.Restore();
        }

        var done = await app.WaitForStatusAsync(id, "Completed", TimeSpan.FromSeconds(90));
        Assert.True(done.GetProperty("output").GetInt32() >= 2, $"the activity's first answer was lost, so it must have run again: {done}");
        Assert.True(gate.Runs >= 2, $"{gate.Runs} run(s)");
    }
}
