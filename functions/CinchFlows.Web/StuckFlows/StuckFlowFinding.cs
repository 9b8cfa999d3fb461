using System.Text.Json.Serialization;

namespace CinchFlows.Web.StuckFlows;

/// <summary>One stuck flow, as the ops API and the ops page show it (docs/api.md §5, "Stuck flows").</summary>
/// <param name="InstanceId">The flow's instance id.</param>
/// <param name="Name">The orchestrator's name.</param>
/// <param name="Kind">Why it counts as stuck.</param>
/// <param name="RuntimeStatus">What its status row says.</param>
/// <param name="HistoryStatus">How its history ended (Completed, Failed, Terminated), or null when it did not.</param>
/// <param name="LastUpdatedTime">When its status row last changed.</param>
/// <param name="DueTime">Its own deadline from <c>customStatus.due</c>, if it has one.</param>
/// <param name="Repairable">True when <c>POST /api/ops/stuck-flows/{instanceId}/repair</c> can fix it.</param>
/// <param name="WhatToDo">What on-call should do, in a sentence (docs/operations.md has the long form).</param>
internal sealed record StuckFlowFinding(
    string InstanceId,
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<StuckFlowKind>))] StuckFlowKind Kind,
    string RuntimeStatus,
    string? HistoryStatus,
    DateTimeOffset LastUpdatedTime,
    DateTimeOffset? DueTime,
    bool Repairable,
    string WhatToDo);
