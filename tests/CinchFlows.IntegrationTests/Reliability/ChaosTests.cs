using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
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
public sealed class ChaosTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private enum Driving
    {
        /// <summary>F1; the platform answers the warm transfer: Connected.</summary>
        TransferAnswered,

        /// <summary>F1; the platform reports every transfer failed: NotConnected, then its callback breaches on timers.</summary>
        TransferFailed,

        /// <summary>F2; a lead acknowledges it: acknowledgedBy.</summary>
        EscalationAcknowledged,

        /// <summary>F2; nobody acknowledges: every tier and ops told on timers, ends unacknowledged.</summary>
        EscalationIgnored,

        /// <summary>F3; a supervisor claims and completes the callback: Completed.</summary>
        CallbackCompleted,

        /// <summary>F3; nobody claims it: reminders, tiers, breach on timers: Breached.</summary>
        CallbackIgnored,
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_flow_reaches_its_expected_end_through_worker_kills(int workerCount)
    {
        var flows = ReliabilitySizes.ChaosFlows;
        var kills = ReliabilitySizes.ChaosKills;
        var report = new ReliabilityReport($"chaos-{workerCount}-worker{(workerCount == 1 ? string.Empty : "s")}", $"Chaos: {flows} flows, {kills} SIGKILLs, {workerCount} worker(s)");
        var passed = false;
        var taskHub = azurite.NewTaskHub();
        var run = taskHub[^6..];
        await using var receiver = await CommandReceiver.StartAsync(ServiceCluster.CommandSecret);
        var settings = ServiceCluster.BaseSettings(azurite.ConnectionString, taskHub, receiver);
        foreach (var (key, value) in ChaosSettings)
        {
            settings[key] = value;
        }

        await using var cluster = await ServiceCluster.StartAsync(workerCount, settings, receiver, taskHub);
        var plan = Enumerable.Range(0, flows).Select(i => new PlannedFlow(i, (Driving)(i % 6), run)).ToList();
        var byCall = plan.Where(p => p.CallId is not null).ToDictionary(p => p.CallId!, StringComparer.Ordinal);
        var platformAnswers = new ConcurrentBag<Task>();
        using var answering = receiver.OnActed((command, _) =>
        {
            if (command.Type == "transfer.warm" && command.CallId is { } call && byCall.TryGetValue(call, out var flow))
            {
                // Answered off the receiver's dispatcher, so one slow answer (a worker down) holds up no other.
                platformAnswers.Add(Task.Run(() => cluster.SendWebhookAsync(
                    flow.Driving == Driving.TransferAnswered ? PlatformEventTypes.TransferConnected : PlatformEventTypes.TransferFailed,
                    new JsonObject
                    {
                        ["callId"] = call,
                        ["targetExtension"] = command.TargetExtension,
                        ["idempotencyKey"] = command.IdempotencyKey,
                        ["reason"] = "busy",
                    })));
            }

            return Task.CompletedTask;
        });

        var clock = Stopwatch.StartNew();
        try
        {
            using var startGate = new SemaphoreSlim(8);
            var drivers = plan.Select(flow => DriveAsync(cluster, flow, startGate)).ToList();
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

            await Task.WhenAll(drivers);
            var startedBy = clock.Elapsed;

            // The flows F1 opened on its own (scenario 2's escalation, the callback after a failed transfer) end on timers too.
            var failures = new List<string>();
            var ends = await WaitForEndsAsync(cluster, plan.Select(p => p.InstanceId), failures);
            var derived = new List<(string Id, string Kind)>();
            foreach (var flow in plan.Where(p => p.CallId is not null))
            {
                if (!ends.TryGetValue(flow.InstanceId, out var end))
                {
                    continue;
                }

                var outcome = end.GetProperty("outcome").GetString();
                if (flow.Driving == Driving.TransferFailed && end.TryGetProperty("callbackId", out var cb) && cb.GetString() is { } callbackId)
                {
                    derived.Add((callbackId, "callback after a failed transfer"));
                }

                if (flow.ServiceRequestId is not null && end.TryGetProperty("severityEscalationId", out var esc) && esc.GetString() is { } escalationId)
                {
                    derived.Add((escalationId, "medical-emergency escalation"));
                }

                CheckF1(flow, outcome, end, failures);
            }

            var derivedEnds = await WaitForEndsAsync(cluster, derived.Select(d => d.Id), failures);
            await Task.WhenAll(platformAnswers);
            var duration = clock.Elapsed;

            foreach (var flow in plan.Where(p => p.CallId is null))
            {
                if (ends.TryGetValue(flow.InstanceId, out var end))
                {
                    CheckOthers(flow, end, failures);
                }
            }

            foreach (var (id, kind) in derived)
            {
                if (derivedEnds.TryGetValue(id, out var end))
                {
                    CheckTimedOut(id, kind, end, failures);
                }
            }

            CheckCommands(receiver, plan, ends, failures);

            var timerEnds = plan.Count(p => p.Driving is Driving.EscalationIgnored or Driving.CallbackIgnored) + derived.Count;
            report.Add("workers", workerCount);
            report.Add("flows started by webhooks", flows);
            report.Add("flows opened by F1 (escalations, callbacks)", derived.Count);
            report.Add("flows whose end depends on timers firing", timerEnds);
            report.Add("SIGKILLs", killLog.Count);
            report.Add("kill times (s) and worker", string.Join(", ", killLog.Select(k => $"{k.At:0.0} {k.Worker}")));
            report.Add("restart to healthy, median (s)", Median(killLog.Select(k => k.Restart.TotalSeconds)));
            report.Add("restart to healthy, max (s)", killLog.Count == 0 ? 0 : killLog.Max(k => k.Restart.TotalSeconds));
            report.Add("all webhooks answered after", startedBy);
            report.Add("all flows ended after", duration);
            report.Add("platform retries (worker down, 503)", cluster.Retries);
            report.Add("commands acted on", receiver.Acted.Count);
            report.Add("command redeliveries (same key, not acted on)", receiver.DuplicateCount);
            report.Add("5xx other than 503", cluster.ServerErrors.Count);
            report.Add("flows not at their expected end", failures.Count);
            foreach (var failure in failures.Concat(cluster.ServerErrors))
            {
                report.Anomaly(failure);
            }

            Assert.True(
                failures.Count == 0 && cluster.ServerErrors.Count == 0,
                $"{failures.Count} problem(s):\n{string.Join("\n", failures.Concat(cluster.ServerErrors).Take(30))}\n\n{string.Join("\n", cluster.Workers.Select(w => w.Tail(3000)))}");
            passed = true;
        }
        finally
        {
            report.Write(output, passed);
        }
    }

    /// <summary>Short flow timeouts, and runtime recovery quick enough for a test: messages a killed worker held come back after 5 s.</summary>
    private static readonly Dictionary<string, string> ChaosSettings = new()
    {
        ["Durable:MaxPollingInterval"] = "00:00:00.500",
        ["Durable:MessageVisibilityTimeout"] = "00:00:05",
        ["Durable:SweepInterval"] = "00:00:01",
        ["Durable:OutboxRecoveryAfter"] = "00:00:03",
        ["Flows:Commands:FirstRetryInterval"] = "00:00:00.200",
        ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:30",
        ["Flows:SupervisorCallback:ClaimTimeout"] = "00:00:03",
        ["Flows:SupervisorCallback:BreachedClaimWindow"] = "00:00:05",
        ["Flows:SupervisorCallback:CompletionDeadline"] = "00:10:00",
        ["Flows:Escalation:AcknowledgeTimeout"] = "00:00:03",
    };

    private static async Task DriveAsync(ServiceCluster cluster, PlannedFlow flow, SemaphoreSlim startGate)
    {
        await startGate.WaitAsync();
        try
        {
            var status = await cluster.SendWebhookAsync(flow.StartType, flow.StartData());
            if (status != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Starting {flow.InstanceId} answered {(int)status}.");
            }
        }
        finally
        {
            startGate.Release();
        }

        switch (flow.Driving)
        {
            case Driving.EscalationAcknowledged:
                await UntilAsync(cluster, HttpMethod.Post, $"api/escalations/{flow.InstanceId}/acknowledge", new { by = flow.Person });
                break;
            case Driving.CallbackCompleted:
                await UntilAsync(cluster, HttpMethod.Post, $"api/callbacks/{flow.InstanceId}/claim", new { supervisorId = flow.Person });
                await UntilAsync(cluster, HttpMethod.Post, $"api/callbacks/{flow.InstanceId}/complete", new { supervisorId = flow.Person, outcome = "resolved" });
                break;
            default:
                break;
        }
    }

    /// <summary>Calls until 200; a 404 means the flow has not written its row yet.</summary>
    private static async Task UntilAsync(ServiceCluster cluster, HttpMethod method, string path, object body)
    {
        var (status, text) = (HttpStatusCode.NotFound, string.Empty);
        await Eventually.WaitUntilAsync(
            async () =>
            {
                (status, text) = await cluster.SendApiAsync(method, path, body, ServiceCluster.SupervisorKey);
                return status != HttpStatusCode.NotFound;
            },
            TimeSpan.FromSeconds(60),
            $"{path} to find its flow");
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)status} {text}");
        }
    }

    /// <summary>Waits until every instance has finished and returns the outputs of those that completed; anything else is a failure.</summary>
    private static async Task<Dictionary<string, JsonElement>> WaitForEndsAsync(ServiceCluster cluster, IEnumerable<string> instanceIds, List<string> failures)
    {
        var pending = new HashSet<string>(instanceIds, StringComparer.Ordinal);
        var ends = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = TimeSpan.FromSeconds(90 + (pending.Count * 0.2));
        try
        {
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    foreach (var id in pending.ToList())
                    {
                        var status = await cluster.StatusAsync(id);
                        var runtime = status.ValueKind == JsonValueKind.Object ? status.GetProperty("runtimeStatus").GetString() : "absent";
                        last[id] = status.ValueKind == JsonValueKind.Object ? status.ToString() : "absent";
                        if (runtime is "Completed" or "Failed" or "Terminated")
                        {
                            pending.Remove(id);
                            if (runtime == "Completed")
                            {
                                ends[id] = status.GetProperty("output");
                            }
                            else
                            {
                                failures.Add($"{id} is {runtime}: {status}");
                            }
                        }
                    }

                    return pending.Count == 0;
                },
                deadline,
                "every flow to finish");
        }
        catch (TimeoutException)
        {
            failures.AddRange(pending.Select(id => $"{id} never finished: {last.GetValueOrDefault(id)}"));
        }

        return ends;
    }

    private static void CheckF1(PlannedFlow flow, string? outcome, JsonElement end, List<string> failures)
    {
        var expected = flow.Driving == Driving.TransferAnswered ? "Connected" : "NotConnected";
        if (outcome != expected)
        {
            failures.Add($"{flow.InstanceId}: outcome {outcome}, expected {expected}: {end}");
        }
        else if (flow.Driving == Driving.TransferFailed && end.GetProperty("attempts").GetInt32() != 3)
        {
            failures.Add($"{flow.InstanceId}: {end.GetProperty("attempts")} attempts after three failed transfers: {end}");
        }
    }

    private static void CheckOthers(PlannedFlow flow, JsonElement end, List<string> failures)
    {
        switch (flow.Driving)
        {
            case Driving.EscalationAcknowledged when String(end, "acknowledgedBy") != flow.Person:
                failures.Add($"{flow.InstanceId}: acknowledgedBy {String(end, "acknowledgedBy")}, expected {flow.Person}: {end}");
                break;
            case Driving.EscalationIgnored:
                CheckTimedOut(flow.InstanceId, "ignored escalation", end, failures);
                break;
            case Driving.CallbackCompleted when String(end, "outcome") != "Completed" || String(end, "claimedBy") != flow.Person:
                failures.Add($"{flow.InstanceId}: expected Completed by {flow.Person}: {end}");
                break;
            case Driving.CallbackIgnored:
                CheckTimedOut(flow.InstanceId, "ignored callback", end, failures);
                break;
            default:
                break;
        }
    }

    /// <summary>An end only timers can bring: an escalation nobody acknowledged (ops told), a callback nobody claimed (breached, ops told).</summary>
    private static void CheckTimedOut(string id, string kind, JsonElement end, List<string> failures)
    {
        var tiers = end.TryGetProperty("tiersNotified", out var t) ? t.EnumerateArray().Select(e => e.GetString()).ToList() : [];
        var ok = id.StartsWith("escalation-", StringComparison.Ordinal)
            ? String(end, "acknowledgedBy") is null && tiers.Contains("ops")
            : String(end, "outcome") == "Breached" && String(end, "claimedBy") is null && tiers.Contains("ops");
        if (!ok)
        {
            failures.Add($"{id} ({kind}): not the timed-out end: {end}");
        }
    }

    /// <summary>
    /// Each step's command is acted on under exactly one key: one agent prompt per F1, transfer attempts 1..n for the n
    /// attempts its output reports, and nothing else. A step re-run after a crash with a new key would show here.
    /// </summary>
    private static void CheckCommands(CommandReceiver receiver, List<PlannedFlow> plan, Dictionary<string, JsonElement> ends, List<string> failures)
    {
        var acted = receiver.Acted;
        var keys = acted.GroupBy(c => c.IdempotencyKey, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (keys.Count > 0)
        {
            failures.Add($"keys acted on more than once: {string.Join(", ", keys)}");
        }

        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flow in plan.Where(p => p.CallId is not null))
        {
            expected.Add(flow.InstanceId + ":agent-prompt");
            var attempts = ends.TryGetValue(flow.InstanceId, out var end) ? end.GetProperty("attempts").GetInt32() : 0;
            for (var a = 1; a <= attempts; a++)
            {
                expected.Add($"{flow.InstanceId}:transfer:{a}");
            }
        }

        var actedKeys = acted.Select(c => c.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
        var extra = actedKeys.Except(expected).ToList();
        var missing = expected.Except(actedKeys).ToList();
        if (extra.Count > 0)
        {
            failures.Add($"commands acted on that no step asked for (a step acting twice under a new key?): {string.Join(", ", extra.Take(20))}");
        }

        if (missing.Count > 0)
        {
            failures.Add($"commands never acted on: {string.Join(", ", missing.Take(20))}");
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One flow of the plan: how it starts and how the simulated people and platform drive it.</summary>
    private sealed class PlannedFlow
    {
        public PlannedFlow(int index, Driving driving, string run)
        {
            Driving = driving;
            Person = $"person-{index}";
            switch (driving)
            {
                case Driving.TransferAnswered or Driving.TransferFailed:
                    CallId = $"call-{run}-{index}";
                    ServiceRequestId = index % 4 == 1 ? $"sr-{run}-{index}" : null;
                    InstanceId = "medical-" + CallId;
                    StartType = PlatformEventTypes.MedicalEmergencyFlagged;
                    break;
                case Driving.EscalationAcknowledged or Driving.EscalationIgnored:
                    JobId = $"job-{run}-{index}";
                    InstanceId = $"escalation-{JobId}-service-delay";
                    StartType = PlatformEventTypes.EscalationRaised;
                    break;
                default:
                    SupervisorCallId = $"call-{run}-{index}";
                    InstanceId = "callback-call-" + SupervisorCallId;
                    StartType = PlatformEventTypes.SupervisorRequested;
                    break;
            }
        }

        public Driving Driving { get; }

        public string Person { get; }

        public string? CallId { get; }

        public string? ServiceRequestId { get; }

        public string? JobId { get; }

        public string? SupervisorCallId { get; }

        public string InstanceId { get; }

        public string StartType { get; }

        public JsonObject StartData() => Driving switch
        {
            Driving.TransferAnswered or Driving.TransferFailed => ServiceRequestId is null
                ? new JsonObject { ["callId"] = CallId, ["agentId"] = "agent-1", ["customerId"] = "cust-" + CallId }
                : new JsonObject { ["callId"] = CallId, ["agentId"] = "agent-1", ["customerId"] = "cust-" + CallId, ["serviceRequestId"] = ServiceRequestId },
            Driving.EscalationAcknowledged or Driving.EscalationIgnored => new JsonObject
            {
                ["serviceJobId"] = JobId, ["reason"] = "service-delay", ["subReason"] = "general", ["raisedBy"] = "agent-1", ["contactRole"] = "customer",
            },
            _ => new JsonObject { ["callId"] = SupervisorCallId, ["agentId"] = "agent-1", ["customerId"] = "cust-" + SupervisorCallId, ["supervisorAvailable"] = false },
        };
    }
}
