using System.Globalization;
using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Telephony;

namespace CinchFlows.Web.Ops;

/// <summary>
/// Tells a flow's history in the words of a contact center ("agent prompted with the Medical Emergency Script",
/// "transfer attempt 2 to Customer Service (x69187): no answer after 2 min", "callback claimed by sup-7"), from the
/// status object with its history the management API shows (<c>GET /api/instances/{id}?showHistory=true</c>). Only
/// ids, codes and the service's own words go into a line, never a note or message body. An event it does not know
/// becomes a plain line of its own; nothing in a history makes it throw.
/// </summary>
internal static class FlowStoryBuilder
{
    /// <summary>The story of <paramref name="status"/> (a status object with <c>historyEvents</c>).</summary>
    public static FlowStory Build(JsonObject status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var reader = new Reader(Str(status, "name") ?? string.Empty, status);
        foreach (var node in status["historyEvents"] as JsonArray ?? [])
        {
            if (node is JsonObject e)
            {
                reader.Read(e);
            }
        }

        return reader.Finish();
    }

    private sealed class Reader(string flow, JsonObject status)
    {
        private readonly List<FlowStoryEntry> entries = [];
        private readonly Dictionary<long, Step> tasks = [];
        // Commands by idempotency key and notifications by message id, apart: F1's prompt has one of each named "{id}:agent-prompt".
        private readonly Dictionary<string, Step> commands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Step> messages = new(StringComparer.Ordinal);
        private JsonObject? settings;
        private Step? transfer;
        private long? transferTimer;
        private bool ended;

        public void Read(JsonObject e)
        {
            var type = Str(e, "eventType") ?? "an event";
            var time = Time(e, "timestamp");
            switch (type)
            {
                case "OrchestratorStarted" or "OrchestratorCompleted" or "GenericEvent":
                    return;
                case "ExecutionStarted":
                    Add(time, Started(Payload(e["input"]) as JsonObject), "step");
                    return;
                case "TaskScheduled":
                    Scheduled(e, time);
                    return;
                case "TaskCompleted":
                    Completed(e);
                    return;
                case "TaskFailed":
                    Failed(e, time);
                    return;
                case "TimerCreated":
                    if (transfer is { Armed: true } && transferTimer is null)
                    {
                        transferTimer = Long(e, "eventId");
                    }

                    return;
                case "TimerFired":
                    TimerFired(e);
                    return;
                case "EventRaised":
                    Raised(Str(e, "name") ?? "an event", Payload(e["input"]) as JsonObject, time);
                    return;
                case "ExecutionSuspended":
                    Add(time, "suspended by ops" + Reason(Str(e, "reason")), "person");
                    return;
                case "ExecutionResumed":
                    Add(time, "resumed by ops" + Reason(Str(e, "reason")), "person");
                    return;
                case "ExecutionTerminated":
                    Add(time, "terminated by ops" + Reason(Text(Payload(e["input"]))), "warning");
                    ended = true;
                    return;
                case "ExecutionCompleted":
                    // The engine writes a termination as ExecutionTerminated and then ExecutionCompleted (Terminated): told once.
                    var how = Ending(e["orchestrationStatus"]);
                    if (!(ended && how == 5))
                    {
                        EndedFrom(how, Payload(e["result"]), e["failureDetails"] as JsonObject, time);
                    }

                    return;
                default:
                    Add(time, Words(type), "step");
                    return;
            }
        }

        public FlowStory Finish()
        {
            var runtime = Str(status, "runtimeStatus") ?? "Unknown";
            var custom = status["customStatus"] as JsonObject;
            var updated = Time(status, "lastUpdatedTime");
            string? standing = null;
            if (runtime is "Running" or "Pending" or "Suspended")
            {
                if (Str(custom, "text") is { } text)
                {
                    var due = Time(custom, "due");
                    // "until" its deadline, unless the flow's own sentence says it already ("… completed by 2026-12-06 08:43 UTC").
                    var until = due is { } d && !text.Contains(d.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                        ? " (until " + FlowText.Clock(d.UtcDateTime) + ")"
                        : string.Empty;
                    standing = (runtime == "Suspended" ? "suspended; was " : string.Empty) + text + until;
                    Add(Time(custom, "since") ?? updated, standing, "wait");
                }
                else
                {
                    standing = runtime == "Pending" ? "not started yet" : "running";
                }

                if (Str(custom, "providerCall") is { } providerCall)
                {
                    Add(Time(custom, "since") ?? updated, "provider call: " + providerCall, "wait");
                }
            }
            else if (!ended)
            {
                // A history that ends before the end (terminated or failed without its event read): the status says how.
                if (runtime == "Terminated")
                {
                    Add(updated, "terminated by ops" + Reason(Text(status["output"])), "warning");
                }
                else if (runtime == "Failed")
                {
                    EndedFrom(3, status["output"], status["failureDetails"] as JsonObject, updated);
                }
                else
                {
                    EndedFrom(1, status["output"], null, updated);
                }
            }

            if (standing is null && entries.Count > 0)
            {
                standing = entries[^1].Text;
            }

            return new FlowStory(Str(status, "instanceId") ?? string.Empty, flow, runtime, standing, entries);
        }

        private void Scheduled(JsonObject e, DateTimeOffset? time)
        {
            var name = Str(e, "name") ?? "a step";
            var id = Long(e, "taskId") ?? Long(e, "eventId");
            var input = Payload(e["input"]);
            if (input is JsonArray { Count: 1 } args)
            {
                input = args[0];
            }

            var one = input as JsonObject;
            switch (name)
            {
                case "GetFlowSettingsActivity" or "ReadHintActivity" or "RecordCallbackProgressActivity" or "ReadCallbackClaimActivity" or "OpenCallbackTaskActivity":
                    // Book-keeping: its settings are read for the words below; what the others do shows in the notifications.
                    Track(id, new Step(name, null, null));
                    return;
                case "SendTelephonyCommandActivity":
                    Track(id, Command(one, time));
                    return;
                case "PublishNotificationActivity":
                    Track(id, Notification(one, time));
                    return;
                case "StartFlowActivity":
                    var started = Str(one, "instanceId") ?? "?";
                    var line = Str(one, "flowName") switch
                    {
                        FlowNames.SeverityEscalation => $"severity escalation raised ({started})",
                        FlowNames.SupervisorCallback => $"{(Str(Obj(one, "input"), "priority") == "High" ? "high-priority " : string.Empty)}callback opened ({started})",
                        var other => $"{Words(other ?? "flow")} flow started ({started})",
                    };
                    Track(id, new Step(name, line, Add(time, line, "step")));
                    return;
                default:
                    var text = Words(name.EndsWith("Activity", StringComparison.Ordinal) ? name[..^"Activity".Length] : name);
                    Track(id, new Step(name, text, Add(time, text, "step")));
                    return;
            }
        }

        private Step Command(JsonObject? command, DateTimeOffset? time)
        {
            var key = Str(command, "idempotencyKey");
            if (key is not null && commands.TryGetValue(key, out var again))
            {
                // A retry of the same command: the same line.
                return again;
            }

            var type = Str(command, "type");
            string text;
            var isTransfer = false;
            switch (type)
            {
                case TelephonyCommand.AgentPromptType:
                    text = "agent prompted with the " + Title(Str(command, "script") ?? "agent") + " Script";
                    break;
                case TelephonyCommand.WarmTransferType:
                    isTransfer = true;
                    var attempt = key is not null && key.LastIndexOf(':') is var colon and > 0 ? key[(colon + 1)..] : "?";
                    text = $"transfer attempt {attempt} to {TransferTarget()} (x{Str(command, "targetExtension")?.TrimStart('x', 'X') ?? "?"})";
                    break;
                case TelephonyCommand.ProviderCallType:
                    text = $"outbound call to service provider {Str(command, "providerId") ?? "?"} about service job {Str(command, "serviceJobId") ?? "?"}";
                    break;
                case TelephonyCommand.AgentHintType:
                    text = "agent hinted to follow the " + Title(Str(command, "protocol") ?? "?") + " protocol";
                    break;
                default:
                    text = "telephony command " + (type ?? "?") + " sent";
                    break;
            }

            var step = new Step(nameof(SendTelephonyCommandActivity), text, Add(time, text, "step")) { IsTransfer = isTransfer };
            if (key is not null)
            {
                commands[key] = step;
            }

            return step;
        }

        private Step Notification(JsonObject? message, DateTimeOffset? time)
        {
            var messageId = Str(message, "messageId");
            if (messageId is not null && messages.TryGetValue(messageId, out var again))
            {
                return again;
            }

            var body = Obj(message, "body");
            var subject = Str(message, "subject") ?? "?";
            var (text, kind) = subject switch
            {
                "agent.prompt.medical-emergency" => ("the agent's desktop shown the Medical Emergency Script", "step"),
                "handoff.note" => ($"handoff note given to the {TransferTarget()} agent ({Words(Str(body, "scenario") ?? "?")}"
                    + (Str(body, "serviceRequestId") is { } sr ? $", service request {sr}" : string.Empty) + ")", "step"),
                "medical-transfer.not-connected" => ($"supervisor on duty alerted: the transfer never connected; callback {Str(body, "callbackId") ?? "?"} to claim", "warning"),
                "severity.set" => ($"service job {Str(body, "serviceJobId") ?? "?"} set to severity Medical Emergency for a Claims Specialist", "step"),
                "escalation.routed" => ($"routed to {Route(Str(body, "route"))} ({Words(Str(body, "severity") ?? "?")} severity): {Str(body, "tier") ?? "group"} notified, to acknowledge by {Clock(body, "acknowledgeBy")}", "step"),
                "escalation.tier-up" => ($"not acknowledged in time: {Str(body, "tier") ?? "next"} tier {Tier(messageId) + 1} notified, to acknowledge by {Clock(body, "acknowledgeBy")}", "warning"),
                "escalation.acknowledged" => ($"tiers told it was acknowledged by {Str(body, "acknowledgedBy") ?? "?"}", "step"),
                "escalation.unacknowledged" => ($"ops alerted: nobody acknowledged (reminder {Str(body, "reminder") ?? "?"})", "warning"),
                "escalation.provider-call-failed" => ($"ops alerted: the call to provider {Str(body, "providerId") ?? "?"} could not be placed", "warning"),
                "callback-task.created" => ($"Call Back Task opened for customer {Str(body, "customerId") ?? "?"} ({Words(Str(body, "priority") ?? "normal")} priority), for Zoho CRM and ServiceBench, to claim by {Clock(body, "dueTime")}", "step"),
                "callback.claim-requested" => ($"{Plural(Str(body, "tier"))} asked to claim the callback by {Clock(body, "dueTime")}", "step"),
                "callback.reminder" => ($"{Plural(Str(body, "tier"))} reminded (notice {Str(body, "notice") ?? "?"}): claim by {Clock(body, "dueTime")}", "warning"),
                "callback.unclaimed" => ("nobody claimed the callback after every tier: ops alerted", "warning"),
                "callback.abandoned" => ("callback never claimed: ops alerted again; the task stays on the board as breached", "warning"),
                "callback.completion-breached" => ($"completion deadline {Clock(body, "dueTime")} missed by {Str(body, "claimedBy") ?? "?"}: ops alerted", "warning"),
                "flow.step-failed" => ($"ops alerted: step {Str(body, "step") ?? "?"} failed after every retry", "warning"),
                _ => ($"notification {subject} sent to {Str(message, "topic") ?? "?"}", "step"),
            };
            var step = new Step(nameof(PublishNotificationActivity), text, Add(time, text, kind)) { Kind = kind };
            if (messageId is not null)
            {
                messages[messageId] = step;
            }

            return step;
        }

        private void Completed(JsonObject e)
        {
            if (Long(e, "taskScheduledId") is not { } id || !tasks.TryGetValue(id, out var step))
            {
                return;
            }

            if (step.Name == "GetFlowSettingsActivity")
            {
                settings = Payload(e["result"]) as JsonObject;
                return;
            }

            // A retry that went through after a failed try: the line says it was done.
            step.Set(step.Text, step.Kind);
            if (step.IsTransfer)
            {
                // The connect timer comes next: from now on a timer firing means nobody answered.
                transfer = step;
                transfer.Armed = true;
                transferTimer = null;
            }
        }

        private void Failed(JsonObject e, DateTimeOffset? time)
        {
            if (Long(e, "taskScheduledId") is not { } id || !tasks.TryGetValue(id, out var step))
            {
                Add(time, "a step failed", "warning");
                return;
            }

            var why = Str(e["failureDetails"] as JsonObject, "errorType") is { } error ? " (" + Short(error) + ")" : string.Empty;
            switch (step.Name)
            {
                case nameof(SendTelephonyCommandActivity):
                    step.Set(step.Text + ": refused by the telephony platform" + why, "warning");
                    break;
                case nameof(PublishNotificationActivity):
                    step.Set(step.Text + " — not sent" + why, "warning");
                    break;
                case "GetFlowSettingsActivity" or "ReadHintActivity" or "RecordCallbackProgressActivity" or "ReadCallbackClaimActivity" or "OpenCallbackTaskActivity":
                    Add(time, Words(step.Name[..^"Activity".Length]) + " failed" + why, "warning");
                    break;
                default:
                    step.Set(step.Text + ": failed" + why, "warning");
                    break;
            }
        }

        private void TimerFired(JsonObject e)
        {
            if (transfer is null || transferTimer is null || Long(e, "timerId") != transferTimer)
            {
                return;
            }

            transfer.Set(transfer.Text + ": no answer after " + Duration(ConnectTimeout() ?? Span(transfer.Entry?.Time, Time(e, "fireAt"))), "warning");
            transfer = null;
            transferTimer = null;
        }

        private void Raised(string name, JsonObject? data, DateTimeOffset? time)
        {
            switch (name)
            {
                case FlowEvents.TransferConnected when transfer is not null:
                    transfer.Set(transfer.Text + ": connected", "success");
                    transfer = null;
                    transferTimer = null;
                    return;
                case FlowEvents.TransferConnected:
                    Add(time, $"transfer to x{Str(data, "targetExtension")?.TrimStart('x', 'X') ?? "?"} connected", "success");
                    return;
                case FlowEvents.TransferFailed when transfer is not null:
                    transfer.Set(transfer.Text + ": failed" + (Str(data, "reason") is { } reason ? " (" + reason + ")" : string.Empty), "warning");
                    transfer = null;
                    transferTimer = null;
                    return;
                case FlowEvents.TransferFailed:
                    Add(time, "a transfer failed" + (Str(data, "reason") is { } late ? " (" + late + ")" : string.Empty), "warning");
                    return;
                case FlowEvents.CallEnded:
                    transfer?.Set(transfer.Text + ": the call ended", "warning");
                    transfer = null;
                    transferTimer = null;
                    Add(time, "the caller hung up (call ended)", "warning");
                    return;
                case FlowEvents.EscalationAcknowledged:
                    Add(time, "acknowledged by " + (Str(data, "by") ?? "?"), "person");
                    return;
                case FlowEvents.SeverityChanged:
                    Add(time, $"severity of service job {Str(data, "serviceJobId") ?? "?"} changed to {Words(Str(data, "severity") ?? "?")}", "step");
                    return;
                case FlowEvents.CallbackClaimed:
                    Add(time, "callback claimed by " + (Str(data, "supervisorId") ?? "?"), "person");
                    return;
                case FlowEvents.CallbackCompleted:
                    Add(time, "callback completed by " + (Str(data, "supervisorId") ?? "?") + (Str(data, "outcome") is { } outcome ? " (" + outcome + ")" : string.Empty), "person");
                    return;
                default:
                    Add(time, "event " + name + " received", "step");
                    return;
            }
        }

        private void EndedFrom(long? orchestrationStatus, JsonNode? result, JsonObject? failure, DateTimeOffset? time)
        {
            ended = true;
            switch (orchestrationStatus)
            {
                case 3:
                    var error = Str(failure, "errorType") ?? Text(result);
                    Add(time, "failed" + (error is null ? string.Empty : ": " + Short(error)), "failure");
                    return;
                case 5:
                    Add(time, "terminated by ops" + Reason(Text(result)), "warning");
                    return;
            }

            var output = result as JsonObject;
            var (text, kind) = flow switch
            {
                FlowNames.MedicalEmergencyTransfer => Str(output, "outcome") switch
                {
                    "Connected" => (string.Create(CultureInfo.InvariantCulture, $"ended: connected to Customer Service after {Str(output, "attempts") ?? "?"} attempt(s), {Double(output, "secondsToConnect") ?? 0:0.#} s"), "success"),
                    "NotConnected" => ($"ended: not connected after {Str(output, "attempts") ?? "?"} attempt(s); callback {Str(output, "callbackId") ?? "?"} opened", "warning"),
                    var other => ("ended: " + Words(other ?? "completed"), "step"),
                },
                FlowNames.SeverityEscalation => Str(output, "acknowledgedBy") is { } by
                    ? ("ended: acknowledged by " + by, "success")
                    : ("ended: never acknowledged (told: " + string.Join(", ", Strings(output, "tiersNotified")) + ")", "warning"),
                FlowNames.SupervisorCallback => Str(output, "outcome") switch
                {
                    "Completed" => ("ended: callback completed by " + (Str(output, "claimedBy") ?? "?"), "success"),
                    "TransferredToSupervisor" => ("ended: transferred to a supervisor", "success"),
                    "Breached" when Str(output, "claimedBy") is { } claimer => ($"ended: breached, claimed by {claimer} but not completed in time", "warning"),
                    "Breached" => ("ended: breached, never claimed", "warning"),
                    var other => ("ended: " + Words(other ?? "completed"), "step"),
                },
                _ => ("ended: completed", "success"),
            };
            Add(time, text, kind);
        }

        private string Started(JsonObject? input) => flow switch
        {
            FlowNames.MedicalEmergencyTransfer =>
                $"agent {Str(input, "agentId") ?? "?"} flagged a Medical Emergency or High-Risk Situation on call {Str(input, "callId") ?? "?"}"
                + (Str(input, "serviceRequestId") is { } sr ? $" (service request {sr} in progress)" : " (needs service)"),
            FlowNames.SeverityEscalation =>
                $"escalation raised on service job {Str(input, "serviceJobId") ?? "?"}: {Str(input, "reason") ?? "?"} / {Str(input, "subReason") ?? "?"}, by {Str(input, "raisedBy") ?? "?"}"
                + (Str(input, "sourceFlowId") is { } source ? $" (from {source})" : string.Empty),
            FlowNames.SupervisorCallback => Bool(input, "supervisorAvailable") == true
                ? $"customer {Str(input, "customerId") ?? "?"} asked for a supervisor on call {Str(input, "callId") ?? "?"}"
                : $"customer {Str(input, "customerId") ?? "?"} is owed a call back ({Words(Str(input, "priority") ?? "normal")} priority, {Words(Str(input, "reason") ?? "no reason given")})",
            _ => Words(flow.Length == 0 ? "flow" : flow) + " started",
        };

        private string TransferTarget() => flow == FlowNames.SupervisorCallback ? "a supervisor" : "Customer Service";

        private TimeSpan? ConnectTimeout()
        {
            var section = flow == FlowNames.SupervisorCallback ? "supervisorCallback" : "medicalEmergency";
            return Str(Obj(settings, section), "connectTimeout") is { } text && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var timeout) ? timeout : null;
        }

        private void Track(long? id, Step step)
        {
            if (id is { } number)
            {
                tasks[number] = step;
            }
        }

        private Entry Add(DateTimeOffset? time, string text, string kind)
        {
            var entry = new Entry(this, entries.Count);
            entries.Add(new FlowStoryEntry(time, text, kind));
            return entry;
        }

        private void Replace(int index, string text, string kind) => entries[index] = entries[index] with { Text = text, Kind = kind };

        private DateTimeOffset? TimeOf(int index) => entries[index].Time;

        /// <summary>A line already told, changed when its step's outcome comes.</summary>
        internal sealed class Entry(Reader reader, int index)
        {
            public DateTimeOffset? Time => reader.TimeOf(index);

            public void Set(string text, string kind) => reader.Replace(index, text, kind);
        }

        /// <summary>A scheduled task and its line (none for book-keeping).</summary>
        private sealed class Step(string name, string? text, Entry? entry)
        {
            public string Name { get; } = name;

            public string Text { get; } = text ?? string.Empty;

            public Entry? Entry { get; } = entry;

            public string Kind { get; init; } = "step";

            public bool IsTransfer { get; init; }

            public bool Armed { get; set; }

            public void Set(string text, string kind) => Entry?.Set(text, kind);
        }
    }

    private static JsonNode? Payload(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 && text[0] is '{' or '['
            ? TryParse(text)
            : node;

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>DurableTask.Core's OrchestrationStatus, written as its number or its name: 1 Completed, 3 Failed, 5 Terminated.</summary>
    private static long? Ending(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var name)
        ? name switch { "Completed" => 1, "Failed" => 3, "Terminated" or "Canceled" => 5, _ => long.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null }
        : node is JsonValue number && long.TryParse(number.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;

    private static JsonObject? Obj(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonObject : null;

    private static string? Str(JsonNode? node, string name)
    {
        if (node is not JsonObject o || o[name] is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        return value.GetValueKind() is System.Text.Json.JsonValueKind.Number ? value.ToJsonString() : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    private static long? Long(JsonNode? node, string name) =>
        Str(node, name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static double? Double(JsonNode? node, string name) =>
        Str(node, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static bool? Bool(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static IEnumerable<string> Strings(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonArray items
            ? items.OfType<JsonValue>().Select(i => i.TryGetValue<string>(out var s) ? s : null).OfType<string>().Distinct(StringComparer.Ordinal)
            : [];

    private static DateTimeOffset? Time(JsonNode? node, string name) =>
        Str(node, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    private static string Clock(JsonNode? node, string name) => Time(node, name) is { } time ? FlowText.Clock(time.UtcDateTime) : "?";

    private static TimeSpan? Span(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b && b > a ? b - a : null;

    /// <summary>"2 min", "45 s", "4 h", "1 h 30 min".</summary>
    internal static string Duration(TimeSpan? span)
    {
        if (span is not { } s)
        {
            return "the wait";
        }

        if (s < TimeSpan.FromMinutes(1))
        {
            return Math.Max(1, (int)Math.Round(s.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + " s";
        }

        if (s < TimeSpan.FromHours(1))
        {
            return ((int)Math.Round(s.TotalMinutes)).ToString(CultureInfo.InvariantCulture) + " min";
        }

        var minutes = (int)Math.Round(s.TotalMinutes) % 60;
        return ((int)s.TotalHours).ToString(CultureInfo.InvariantCulture) + " h" + (minutes == 0 ? string.Empty : " " + minutes.ToString(CultureInfo.InvariantCulture) + " min");
    }

    private static int Tier(string? messageId) =>
        messageId is not null && messageId.LastIndexOf(":tier:", StringComparison.Ordinal) is var at and >= 0
        && int.TryParse(messageId.AsSpan(at + ":tier:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var tier)
            ? tier
            : 0;

    private static string Reason(string? reason) => string.IsNullOrEmpty(reason) || reason == "null" ? " (no reason given)" : ": " + reason;

    private static string Plural(string? tier) => tier is null ? "supervisors" : tier.EndsWith('s') ? tier : tier + "s";

    private static string Short(string typeName) => typeName.LastIndexOf('.') is var dot and >= 0 ? typeName[(dot + 1)..] : typeName;

    private static string Route(string? route) => route switch
    {
        "ClaimsSpecialist" => "the Claims Specialist queue",
        "PotentialRisk" => "the Potential Risk team",
        "MediaPolicy" => "the media policy owners",
        "Legal" => "Legal",
        "CustomerServiceEscalations" => "Customer Service Escalations",
        null => "?",
        var other => Words(other),
    };

    /// <summary>"medical-emergency" → "Medical Emergency".</summary>
    private static string Title(string code) =>
        string.Join(' ', code.Split('-', '_', ' ').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>"NotConnected" → "not connected"; "MedicalEmergency" → "Medical Emergency".</summary>
    private static string Words(string code)
    {
        if (code is "MedicalEmergency")
        {
            return "Medical Emergency";
        }

        var builder = new System.Text.StringBuilder(code.Length + 8);
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(code[i - 1]))
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
