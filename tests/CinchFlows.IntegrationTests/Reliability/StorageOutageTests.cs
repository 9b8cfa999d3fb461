using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// Storage outage: Azurite (on disk) stopped mid-run for <see cref="ReliabilitySizes.OutageSeconds"/> while flows wait
/// on timers, transfers and people. Meanwhile health is 503 and webhooks get 503 with Retry-After; after storage
/// returns, the webhook refused during the outage is delivered again and every flow reaches its expected end.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Storage_down_mid_run_answers_503_and_loses_nothing()
    {
        var outage = TimeSpan.FromSeconds(ReliabilitySizes.OutageSeconds);
        var report = new ReliabilityReport("storage-outage", $"Storage outage: Azurite stopped for {outage.TotalSeconds:0} s mid-run");
        var passed = false;
        await using var storage = new PersistentAzurite();
        await storage.StartAsync();
        var taskHub = "o" + Guid.NewGuid().ToString("N")[..16];
        await using var receiver = await CommandReceiver.StartAsync(ServiceCluster.CommandSecret);
        var settings = ServiceCluster.BaseSettings(storage.ConnectionString, taskHub, receiver);
        foreach (var (key, value) in FlowScenario.ShortTimeouts)
        {
            settings[key] = value;
        }

        settings["Health:StorageTimeout"] = "00:00:01";
        await using var cluster = await ServiceCluster.StartAsync(1, settings, receiver, taskHub);
        var worker = cluster.Workers[0];

        // Two flows of each driving, and one more F1 whose first delivery falls into the outage.
        var plan = FlowScenario.Plan(12, taskHub[^6..]);
        var late = new PlannedFlow(12, Driving.TransferAnswered, taskHub[^6..]);
        var scenario = new FlowScenario(cluster, [.. plan, late]);
        using var answering = scenario.AnswerTransfers();
        try
        {
            await new FlowScenario(cluster, plan).DriveAllAsync();

            var clock = Stopwatch.StartNew();
            await storage.StopAsync();
            var stopped = clock.Elapsed;
            await Eventually.WaitUntilAsync(async () => await worker.HealthStatusAsync() == 503, TimeSpan.FromSeconds(15), "health to answer 503 with storage down");
            var healthDown = clock.Elapsed;

            using var sender = new WebhookSender(worker.BaseAddress, ServiceCluster.WebhookSecret);
            var lateId = WebhookSender.NewWebhookId();
            using var refused = await sender.SendAsync(late.StartType, late.StartData(), lateId);
            var refusedBody = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"webhook during the outage: {(int)refused.StatusCode} {refusedBody}");
            Assert.NotNull(refused.Headers.RetryAfter);
            var webhookAnswered = clock.Elapsed;

            // The outage's length is the scenario itself, not a wait for a condition.
            var remaining = outage - clock.Elapsed;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining);
            }

            var downFor = clock.Elapsed;
            await storage.StartAsync();
            await worker.WaitHealthyAsync(TimeSpan.FromSeconds(30));
            var healthyAgain = clock.Elapsed - downFor;

            // The platform delivers the refused webhook again, under the same webhook-id.
            Assert.Equal(HttpStatusCode.Accepted, await cluster.SendWebhookAsync(late.StartType, late.StartData(), lateId));
            var (failures, opened, timerEnds) = await scenario.VerifyAsync();
            var allEnded = clock.Elapsed;

            report.Add("flows", plan.Count + 1);
            report.Add("flows opened by F1", opened);
            report.Add("flows whose end depends on timers firing", timerEnds);
            report.Add("storage stopped (SIGTERM, on-disk data kept)", stopped);
            report.Add("health 503 after", healthDown);
            report.Add("webhook during outage", $"{(int)refused.StatusCode}, Retry-After {refused.Headers.RetryAfter}, answered after {webhookAnswered.TotalSeconds:0.0} s");
            report.Add("storage down for", downFor);
            report.Add("health 200 again after storage returned", healthyAgain);
            report.Add("every flow ended after outage start", allEnded);
            report.Add("worker process still the first one", worker.Starts == 1 && worker.IsRunning);
            report.Add(cluster.Warnings);
            report.Add("problems", failures.Count);
            foreach (var failure in failures)
            {
                report.Anomaly(failure);
            }

            Assert.True(failures.Count == 0, $"{failures.Count} problem(s):\n{string.Join("\n", failures.Take(30))}\n\n{worker.Tail(6000)}\n{storage.Output}");
            Assert.True(worker.IsRunning && worker.Starts == 1, $"the worker did not survive the outage:\n{worker.Tail(6000)}");
            passed = true;
        }
        finally
        {
            report.Write(output, passed);
        }
    }
}
