using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// Drives a plan of flows on a <see cref="ServiceCluster"/> as the platform and people would (start webhooks, answered
/// or failed transfers, acknowledgements, claims and completions) and then checks that every flow, and every flow they
/// opened, reached the end its driving implies, and that each step's command was acted on under exactly one key.
/// </summary>
internal sealed class FlowScenario(ServiceCluster cluster, IReadOnlyList<PlannedFlow> plan)
{
    private readonly ConcurrentBag<Task> platformAnswers = [];
    private readonly ConcurrentBag<string> drivingProblems = [];
    private readonly ConcurrentDictionary<string, string> drivenAt = new(StringComparer.Ordinal);

    /// <summary>A plan of <paramref name="count"/> flows, the six drivings in turn.</summary>
    public static List<PlannedFlow> Plan(int count, string run) =>
        [.. Enumerable.Range(0, count).Select(i => new PlannedFlow(i, (Driving)(i % 6), run))];

    /// <summary>The platform's side of warm transfers: answered or failed as planned, echoing the command's key.</summary>
    public IDisposable AnswerTransfers()
    {
        var byCall = plan.Where(p => p.CallId is not null).ToDictionary(p => p.CallId!, StringComparer.Ordinal);
        return cluster.Receiver.OnActed((command, _) =>
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
    }

    /// <summary>Starts every flow (a few at a time) and does what its driving says; finishes when all have been driven.</summary>
    public async Task DriveAllAsync()
    {
        using var startGate = new SemaphoreSlim(8);
        // A person's patience scales with the backlog: 500 flows on one worker killed ten times take a while to catch up.
        var patience = TimeSpan.FromSeconds(60 + (0.3 * plan.Count));
        await Task.WhenAll(plan.Select(async flow =>
        {
            try
            {
                await DriveAsync(flow, startGate, patience);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Reported with the flow's end by VerifyAsync, so one late claim does not hide what happened to the rest.
                drivingProblems.Add($"{flow.InstanceId}: driving it failed: {ex.Message}");
            }
        }));
    }

    /// <summary>Waits for every flow's end and checks it; returns the problems, the flows F1 opened, and how many ends only timers could bring.</summary>
    public async Task<(List<string> Failures, int Opened, int TimerEnds)> VerifyAsync()
    {
        var failures = new List<string>();
        var ends = await WaitForEndsAsync(cluster, plan.Select(p => p.InstanceId), failures);

        // The flows F1 opened on its own (scenario 2's escalation, the callback after a failed transfer) end on timers.
        var opened = new List<(string Id, string Kind)>();
        foreach (var flow in plan)
        {
            if (!ends.TryGetValue(flow.InstanceId, out var end))
            {
                continue;
            }

            if (flow.CallId is null)
            {
                var before = failures.Count;
                CheckOthers(flow, end, failures);
                if (failures.Count > before)
                {
                    // What the people did and when, beside what the flow saw: a late event and a lost one look alike otherwise.
                    failures[^1] += $"\n    driven: {drivenAt.GetValueOrDefault(flow.InstanceId, "not driven")}\n    history: {await HistoryAsync(cluster, flow.InstanceId)}";
                }

                continue;
            }

            if (flow.Driving == Driving.TransferFailed && String(end, "callbackId") is { } callbackId)
            {
                opened.Add((callbackId, "callback after a failed transfer"));
            }

            if (flow.ServiceRequestId is not null && String(end, "severityEscalationId") is { } escalationId)
            {
                opened.Add((escalationId, "medical-emergency escalation"));
            }

            CheckF1(flow, String(end, "outcome"), end, failures);
        }

        var openedEnds = await WaitForEndsAsync(cluster, opened.Select(d => d.Id), failures);
        foreach (var (id, kind) in opened)
        {
            if (openedEnds.TryGetValue(id, out var end))
            {
                CheckTimedOut(id, kind, end, failures);
            }
        }

        await Task.WhenAll(platformAnswers);
        CheckCommands(cluster.Receiver, plan, ends, failures);
        failures.AddRange(cluster.ServerErrors);
        failures.AddRange(drivingProblems);
        var timerEnds = plan.Count(p => p.Driving is Driving.EscalationIgnored or Driving.CallbackIgnored) + opened.Count;
        return (failures, opened.Count, timerEnds);
    }

    /// <summary>
    /// Short flow timeouts, and engine recovery quick enough for a test: messages a killed worker held come back after
    /// 10 s (the engine's least visibility timeout) instead of a minute. Queue polling is the shipped default (5 s), so
    /// chaos and outages are survived with the polling production runs.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ShortTimeouts = new Dictionary<string, string>
    {
        ["Durable:MessageVisibilityTimeout"] = "00:00:10",
        ["Flows:Commands:FirstRetryInterval"] = "00:00:00.200",
        ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:30",
        ["Flows:SupervisorCallback:ClaimTimeout"] = "00:00:03",
        ["Flows:SupervisorCallback:BreachedClaimWindow"] = "00:00:05",
        ["Flows:SupervisorCallback:CompletionDeadline"] = "00:10:00",
        ["Flows:Escalation:AcknowledgeTimeout"] = "00:00:03",
    };

    private async Task DriveAsync(PlannedFlow flow, SemaphoreSlim startGate, TimeSpan patience)
    {
        await startGate.WaitAsync();
        try
        {
            var status = await cluster.SendWebhookAsync(flow.StartType, flow.StartData());
            if (status != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Starting {flow.InstanceId} answered {(int)status}.");
            }

            drivenAt[flow.InstanceId] = $"started (202) at {DateTime.UtcNow:HH:mm:ss.fff}";
        }
        finally
        {
            startGate.Release();
        }

        switch (flow.Driving)
        {
            case Driving.EscalationAcknowledged:
                await UntilAsync(cluster, HttpMethod.Post, $"api/escalations/{flow.InstanceId}/acknowledge", new { by = flow.Person }, flow.Person, patience);
                drivenAt[flow.InstanceId] += $", acknowledged (200) at {DateTime.UtcNow:HH:mm:ss.fff}";
                break;
            case Driving.CallbackCompleted:
                await UntilAsync(cluster, HttpMethod.Post, $"api/callbacks/{flow.InstanceId}/claim", new { supervisorId = flow.Person }, flow.Person, patience);
                await UntilAsync(cluster, HttpMethod.Post, $"api/callbacks/{flow.InstanceId}/complete", new { supervisorId = flow.Person, outcome = "resolved" }, flow.Person, patience);
                drivenAt[flow.InstanceId] += $", claimed and completed (200) at {DateTime.UtcNow:HH:mm:ss.fff}";
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// The instance's history in short, for failure messages: each event's type (and name) with its time, and for timers
    /// their id and due time, so a lost timer and a late one can be told apart.
    /// </summary>
    private static async Task<string> HistoryAsync(ServiceCluster cluster, string instanceId)
    {
        var (status, body) = await cluster.SendApiAsync(HttpMethod.Get, $"api/instances/{instanceId}?showHistory=true&showInput=false");
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            return $"{(int)status}";
        }

        var events = JsonDocument.Parse(body).RootElement.GetProperty("historyEvents").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() is not ("OrchestratorStarted" or "OrchestratorCompleted"))
            .Select(e => $"{e.GetProperty("eventType").GetString()}{(e.TryGetProperty("name", out var name) ? ":" + name.GetString() : string.Empty)}{TimerText(e)}@{e.GetProperty("timestamp").GetDateTime():HH:mm:ss.fff}");
        return string.Join(", ", events);
    }

    private static string TimerText(JsonElement e) => e.TryGetProperty("fireAt", out var fireAt) && fireAt.ValueKind == JsonValueKind.String
        ? $"#{(e.TryGetProperty("timerId", out var id) ? id.ToString() : e.TryGetProperty("eventId", out var eventId) ? eventId.ToString() : "?")}(due {fireAt.GetDateTime():HH:mm:ss.fff})"
        : string.Empty;

    /// <summary>Calls as <paramref name="person"/> (a supervisor's token: actions need a person) until 200; a 404 means the flow has not written its row yet.</summary>
    private static async Task UntilAsync(ServiceCluster cluster, HttpMethod method, string path, object body, string person, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var (status, text) = await cluster.SendApiAsync(method, path, body, TestTokens.Person(person, "Supervisor"));
            if (status != HttpStatusCode.NotFound)
            {
                if (status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{method} {path} answered {(int)status} {text}");
                }

                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{method} {path} still answered 404 after {patience}: its flow never opened the task.");
            }

            // As a person would look again: hundreds of drivers polling every few milliseconds would be the load.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>
    /// Waits until every instance has finished and returns the outputs of those that completed; anything else is a
    /// failure. A flow counts as never finished when nothing moved for <see cref="StallWindow"/>: no watched flow
    /// finished and none recorded a step (its <c>lastUpdatedTime</c>). A backlog that drains slowly is not a lost flow;
    /// a flow that sits still is. How long the wait took is in the report either way.
    /// </summary>
    private static async Task<Dictionary<string, JsonElement>> WaitForEndsAsync(ServiceCluster cluster, IEnumerable<string> instanceIds, List<string> failures)
    {
        var pending = new HashSet<string>(instanceIds, StringComparer.Ordinal);
        var ends = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastMove = Stopwatch.StartNew();
        var latestStep = DateTime.MinValue;
        while (pending.Count > 0)
        {
            var unfinished = await cluster.UnfinishedAsync();
            foreach (var id in pending.ToList())
            {
                if (unfinished.TryGetValue(id, out var running))
                {
                    last[id] = running.ToString();
                    if (running.TryGetProperty("lastUpdatedTime", out var updated) && updated.GetDateTime() is var at && at > latestStep)
                    {
                        latestStep = at;
                        lastMove.Restart();
                    }

                    continue;
                }

                // Not in the unfinished list: finished, or not created yet (an opened flow F1 has not started).
                var status = await cluster.StatusAsync(id);
                if (status.ValueKind != JsonValueKind.Object)
                {
                    last[id] = "absent";
                    continue;
                }

                last[id] = status.ToString();
                var runtime = status.GetProperty("runtimeStatus").GetString();
                if (runtime is "Completed" or "Failed" or "Terminated")
                {
                    pending.Remove(id);
                    lastMove.Restart();
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

            if (pending.Count > 0 && lastMove.Elapsed > StallWindow && !IsBackedOff(cluster.Warnings, pending))
            {
                foreach (var id in pending)
                {
                    var backOff = cluster.Warnings.HiddenUntil(id) is { } until ? $"last back-off ended {until:HH:mm:ss}" : "no back-off logged";
                    failures.Add($"{id} on {ControlQueues.Of(id)} never finished (nothing moved for {lastMove.Elapsed.TotalSeconds:0} s; {backOff}): {last.GetValueOrDefault(id)}\n    history: {await HistoryAsync(cluster, id)}");
                }

                break;
            }

            // One list query a second: the watcher must not be the load it measures.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return ends;
    }

    /// <summary>
    /// Whether the backend still hides a message it put back for one of <paramref name="pending"/> (see
    /// <see cref="EngineWarnings"/>), or did until less than <see cref="AfterBackOff"/> ago: such a flow is waiting, not
    /// lost. A message delivered several times (kills, locks that lapsed while it waited on a saturated emulator) is put
    /// back for 64 s, 128 s, … up to 10 minutes, longer than <see cref="StallWindow"/>; the report gives the longest.
    /// </summary>
    private static bool IsBackedOff(EngineWarnings backOffs, IEnumerable<string> pending) =>
        pending.Any(id => backOffs.HiddenUntil(id) is { } until && until + AfterBackOff > DateTimeOffset.UtcNow);

    /// <summary>Time for a message back from its back-off to be polled (5 s at most) and its step to run.</summary>
    private static readonly TimeSpan AfterBackOff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long no watched flow may move before the wait gives up: well past everything that legitimately delays a step
    /// here (10 s message visibility after a kill, three 10 s storage timeouts in a row on a saturated emulator, 30 s
    /// connect timeouts).
    /// </summary>
    private static readonly TimeSpan StallWindow = TimeSpan.FromSeconds(120);

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
    private static void CheckCommands(CommandReceiver receiver, IReadOnlyList<PlannedFlow> plan, Dictionary<string, JsonElement> ends, List<string> failures)
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

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
