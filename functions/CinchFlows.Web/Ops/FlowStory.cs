namespace CinchFlows.Web.Ops;

/// <summary>A flow told in the trade's words (docs/api.md, "Flow story"): where it stands, then what happened, oldest first.</summary>
/// <param name="InstanceId">The flow.</param>
/// <param name="Name">Its orchestration, e.g. <c>MedicalEmergencyTransfer</c>.</param>
/// <param name="RuntimeStatus">The engine's status.</param>
/// <param name="Standing">One line: what an open flow waits for, or how a finished one ended.</param>
/// <param name="Entries">The story, oldest first.</param>
internal sealed record FlowStory(string InstanceId, string Name, string RuntimeStatus, string? Standing, IReadOnlyList<FlowStoryEntry> Entries);
