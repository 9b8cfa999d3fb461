using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.StuckFlows;

/// <summary>
/// Decides from a quiet flow's status row and its history whether it is stuck, and why. Pure: the check reads, these
/// rules judge, so each rule is tested on its own.
/// </summary>
internal static class StuckFlowRules
{
    /// <summary>What the history says about how the flow ended and what it still waits for.</summary>
    /// <param name="EndedAs">Completed, Failed or Terminated when the history holds the end of its execution; else null.</param>
    /// <param name="EndedAt">When that end was written.</param>
    /// <param name="Output">The end's result as stored (serialized JSON), or null.</param>
    /// <param name="Started">True when the history holds the start of the execution.</param>
    /// <param name="NextTimer">The latest fire time among timers created and not fired yet, or null when none.</param>
    internal sealed record HistorySummary(string? EndedAs, DateTimeOffset? EndedAt, string? Output, bool Started, DateTimeOffset? NextTimer);

    /// <summary>The stuck finding for this flow, or null when it is not stuck.</summary>
    /// <param name="instance">The flow's status row.</param>
    /// <param name="history">Its history, summarised.</param>
    /// <param name="now">The time of the check.</param>
    /// <param name="options">Quiet time and grace.</param>
    public static StuckFlowFinding? Judge(OrchestrationMetadata instance, HistorySummary history, DateTimeOffset now, StuckFlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
            || now - instance.LastUpdatedAt < options.QuietFor)
        {
            // Finished, suspended on purpose, or still moving: not stuck.
            return null;
        }

        var due = Due(instance.SerializedCustomStatus);
        var status = instance.RuntimeStatus.ToString();
        if (history.EndedAs is { } ended)
        {
            return new StuckFlowFinding(
                instance.InstanceId, instance.Name, StuckFlowKind.EndedButShownRunning, status, ended, instance.LastUpdatedAt, due, Repairable: true,
                $"Its history ended {ended} at {history.EndedAt:u} but its status row says {status}: nothing will move it. Repair rewrites the row from the history (POST /api/ops/stuck-flows/{instance.InstanceId}/repair); docs/operations.md, \"A flow shows Running but its history ended\".");
        }

        if (!history.Started)
        {
            return instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending
                ? new StuckFlowFinding(
                    instance.InstanceId, instance.Name, StuckFlowKind.NeverStarted, status, null, instance.LastUpdatedAt, due, Repairable: false,
                    "Created but never started: its start message was lost or poisoned. Look for it in the control queues' poison messages and the worker log; start the work again by hand (the management API's start, or the platform's webhook again after terminating and purging this one); docs/operations.md, \"A flow never started\".")
                : null;
        }

        if (due is { } deadline && now - deadline > options.OverdueGrace && !(history.NextTimer > now - options.OverdueGrace))
        {
            return new StuckFlowFinding(
                instance.InstanceId, instance.Name, StuckFlowKind.OverdueWithNothingScheduled, status, null, instance.LastUpdatedAt, due, Repairable: false,
                $"Waiting past its deadline ({deadline:u}) with no timer left to wake it: the message that should have moved it is lost. Raise the event it waits for (POST /api/instances/{instance.InstanceId}/raiseEvent/…) or terminate it and handle the case by hand; docs/operations.md, \"A flow is overdue\".");
        }

        return null;
    }

    /// <summary>Summarises a history in the backend's field names (<c>EventType</c>, <c>EventId</c>, <c>FireAt</c>, …), oldest first.</summary>
    public static HistorySummary Summarise(IReadOnlyList<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        string? endedAs = null;
        string? output = null;
        DateTimeOffset? endedAt = null;
        var started = false;
        var timers = new Dictionary<int, DateTimeOffset>();
        foreach (var e in events)
        {
            switch (e["EventType"]?.ToString())
            {
                case "ExecutionStarted":
                    started = true;
                    break;
                case "ExecutionCompleted":
                    endedAs = EndStatus(e["OrchestrationStatus"]);
                    endedAt = Time(e["Timestamp"]);
                    output = e["Result"]?.GetValue<string>();
                    break;
                case "TimerCreated" when Int(e["EventId"]) is { } id && Time(e["FireAt"]) is { } fireAt:
                    timers[id] = fireAt;
                    break;
                case "TimerFired" when Int(e["TimerId"]) is { } id:
                    timers.Remove(id);
                    break;
                default:
                    break;
            }
        }

        return new HistorySummary(endedAs, endedAt, output, started, timers.Count == 0 ? null : timers.Values.Max());
    }

    /// <summary>The flow's own deadline, <c>due</c> in its custom status (every waiting flow here sets it), or null.</summary>
    internal static DateTimeOffset? Due(string? serializedCustomStatus)
    {
        if (string.IsNullOrEmpty(serializedCustomStatus))
        {
            return null;
        }

        try
        {
            using var status = JsonDocument.Parse(serializedCustomStatus);
            return status.RootElement.ValueKind == JsonValueKind.Object
                && status.RootElement.TryGetProperty("due", out var due)
                && due.ValueKind == JsonValueKind.String
                && due.TryGetDateTimeOffset(out var at)
                ? at
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? EndStatus(JsonNode? status)
    {
        // The backend's JSON has the enum as a number; the in-memory copy has its name.
        var parsed = status switch
        {
            JsonValue value when value.TryGetValue<int>(out var number) => (OrchestrationStatus?)number,
            JsonValue value when value.TryGetValue<string>(out var name) && Enum.TryParse<OrchestrationStatus>(name, out var named) => named,
            _ => null,
        };
        return parsed is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated ? parsed.ToString() : null;
    }

    private static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static DateTimeOffset? Time(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<DateTimeOffset>(out var at) => at,
        JsonValue value when value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
        _ => null,
    };
}
