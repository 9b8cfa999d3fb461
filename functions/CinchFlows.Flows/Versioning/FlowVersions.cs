using Microsoft.DurableTask;
using Microsoft.DurableTask.Abstractions;

namespace CinchFlows.Flows.Versioning;

/// <summary>
/// The flow versions this build knows, oldest first. A flow keeps the version it started on for its whole life
/// (<see cref="TaskOrchestrationContext.Version"/>) and branches on it where a change needs it; how and when to add one
/// is in docs/flows.md, "Changing a flow".
/// </summary>
/// <remarks>
/// Versions are <c>major.minor</c> so that Durable Task compares them as numbers (it parses both sides as
/// <see cref="System.Version"/>, else compares text: "10" would sort before "9"). A flow started before versioning has
/// no version, which Durable Task orders before every version: it runs the <see cref="V1"/> way.
/// </remarks>
public static class FlowVersions
{
    /// <summary>The flows as they were when versioning came in (and every flow started before it, which has no version).</summary>
    public const string V1 = "1.0";

    /// <summary>
    /// F2 tells the tiers it notified that the escalation was acknowledged (<c>escalation.acknowledged</c>); every flow
    /// raises one <c>flow.step-failed</c> ops alert when a step fails through every retry.
    /// </summary>
    public const string V2 = "2.0";

    /// <summary>The newest version this build runs: by default new flows start on it, and a worker takes no flow newer than it.</summary>
    public const string Latest = V2;

    /// <summary>Every version this build runs, oldest first.</summary>
    public static IReadOnlyList<string> Known { get; } = [V1, V2];

    /// <summary>True when the flow started on <paramref name="version"/> or later, i.e. runs that version's steps.</summary>
    public static bool IsAtLeast(this TaskOrchestrationContext context, string version)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The same comparison the worker's version check makes (CompareVersionTo calls it too, but is virtual).
        return TaskOrchestrationVersioningUtils.CompareVersions(context.Version ?? string.Empty, version) >= 0;
    }
}
