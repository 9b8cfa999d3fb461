using System.Diagnostics;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>The reliability harness's own supervisor: a worker that exits on its own is started again, and the exit is counted.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceClusterTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_worker_that_exits_on_its_own_is_started_again_and_counted()
    {
        var taskHub = azurite.NewTaskHub();
        await using var receiver = await CommandReceiver.StartAsync(ServiceCluster.CommandSecret);
        await using var cluster = await ServiceCluster.StartAsync(1, ServiceCluster.BaseSettings(azurite.ConnectionString, taskHub, receiver), receiver, taskHub);
        var worker = cluster.Workers[0];
        var firstProcess = worker.ProcessId ?? throw new InvalidOperationException("The worker is not running.");

        // Killed from outside the harness: to the supervisor this is a worker that ended by itself.
        using (var outside = Process.GetProcessById(firstProcess))
        {
            outside.Kill();
            await outside.WaitForExitAsync();
        }

        await Eventually.WaitUntilAsync(
            async () => worker.ProcessId is { } id && id != firstProcess && await worker.HealthStatusAsync() == 200,
            TimeSpan.FromSeconds(90),
            "the supervisor to start the worker again");
        Assert.Equal(2, worker.Starts);
        var exit = Assert.Single(cluster.WorkerExits);
        Assert.Contains("while running", exit, StringComparison.Ordinal);
        Assert.Empty(cluster.SupervisorFailures);
    }
}
