using System.Diagnostics;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// Chaos: flows of all three kinds on real worker processes, workers SIGKILLed and restarted while the flows run. Every
/// flow must reach the end its driving implies, every timer-driven end must come (no timer lost), and the telephony
/// platform must never be asked to act twice for one step (one idempotency key per step, never a second key for it).
/// Sizes: <see cref="ReliabilitySizes"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_flow_reaches_its_expected_end_through_worker_kills(int workerCount)
    {
        // An Azurite of its own, as the fuzz run has (WebhookFuzzTests): on the shared one, what earlier tests left
        // behind slows every request, and a restart could time out creating the task hub because of another test.
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await RunAsync(azurite, workerCount);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private async Task RunAsync(AzuriteFixture azurite, int workerCount)
    {
        var flows = ReliabilitySizes.ChaosFlows;
        var kills = ReliabilitySizes.ChaosKills;
        var report = new ReliabilityReport($"chaos-{workerCount}-worker{(workerCount == 1 ? string.Empty : "s")}", $"Chaos: {flows} flows, {kills} SIGKILLs, {workerCount} worker(s)");
        var passed = false;
        var taskHub = azurite.NewTaskHub();
        await using var receiver = await CommandReceiver.StartAsync(ServiceCluster.CommandSecret);
        var settings = ServiceCluster.BaseSettings(azurite.ConnectionString, taskHub, receiver);
        foreach (var (key, value) in FlowScenario.ShortTimeouts)
        {
            settings[key] = value;
        }

        await using var cluster = await ServiceCluster.StartAsync(workerCount, settings, receiver, taskHub);
        var plan = FlowScenario.Plan(flows, taskHub[^6..]);
        var scenario = new FlowScenario(cluster, plan);
        using var answering = scenario.AnswerTransfers();
        var clock = Stopwatch.StartNew();
        try
        {
            var driving = scenario.DriveAllAsync();
            var killLog = new List<(double At, string Worker, TimeSpan Restart)>();
            var random = new Random(ReliabilitySizes.FuzzSeed + workerCount);
            for (var k = 0; k < kills; k++)
            {
                // The kill schedule is the scenario itself, not a wait for a condition.
                await Task.Delay(TimeSpan.FromSeconds(ReliabilitySizes.ChaosKillIntervalSeconds));
                var victim = cluster.Workers[random.Next(cluster.Workers.Count)];
                var at = clock.Elapsed.TotalSeconds;
                killLog.Add((at, victim.Name, await ServiceCluster.KillAndRestartAsync(victim)));
            }

            await driving;
            var drivenBy = clock.Elapsed;
            var (failures, opened, timerEnds) = await scenario.VerifyAsync();
            var duration = clock.Elapsed;

            report.Add("workers", workerCount);
            report.Add("flows started by webhooks", flows);
            report.Add("flows opened by F1 (escalations, callbacks)", opened);
            report.Add("flows whose end depends on timers firing", timerEnds);
            report.Add("SIGKILLs", killLog.Count);
            report.Add("kill times (s) and worker", string.Join(", ", killLog.Select(k => $"{k.At:0.0} {k.Worker}")));
            report.Add("restart to healthy, median (s)", FlowScenario.Median(killLog.Select(k => k.Restart.TotalSeconds)));
            report.Add("restart to healthy, max (s)", killLog.Count == 0 ? 0 : killLog.Max(k => k.Restart.TotalSeconds));
            report.Add("all flows started and driven after", drivenBy);
            report.Add("all flows ended after", duration);
            report.Add("worker exits on their own, started again by the supervisor", cluster.WorkerExits.Count);
            report.Add("platform retries (worker down, 503)", cluster.Retries);
            report.Add(cluster.Warnings);
            report.Add("commands acted on", receiver.Acted.Count);
            report.Add("command redeliveries (same key, not acted on again)", receiver.DuplicateCount);
            report.Add("5xx other than 503", cluster.ServerErrors.Count);
            failures.AddRange(cluster.SupervisorFailures);
            report.Add("problems", failures.Count);
            foreach (var failure in failures)
            {
                report.Anomaly(failure);
            }

            // Not a failure: production's supervisor restarts such a worker too. Listed, so a run with many is looked at.
            foreach (var exit in cluster.WorkerExits)
            {
                report.Anomaly(exit);
            }

            Assert.True(
                failures.Count == 0,
                $"{failures.Count} problem(s):\n{string.Join("\n", failures.Take(30))}\n\n{string.Join("\n", cluster.Workers.Select(w => w.Tail(3000)))}");
            passed = true;
        }
        finally
        {
            report.Write(output, passed);
        }
    }
}
