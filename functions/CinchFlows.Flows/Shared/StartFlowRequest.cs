using System.Text.Json;

namespace CinchFlows.Flows.Shared;

/// <summary>The input of <see cref="StartFlowActivity"/>.</summary>
/// <param name="FlowName">The orchestration to start (one of <see cref="FlowNames"/>).</param>
/// <param name="InstanceId">Its instance id, derived from a business key (<see cref="BusinessKeys"/>).</param>
/// <param name="Input">Its input, already in <see cref="FlowJson"/>'s shape.</param>
public sealed record StartFlowRequest(string FlowName, string InstanceId, JsonElement Input);
