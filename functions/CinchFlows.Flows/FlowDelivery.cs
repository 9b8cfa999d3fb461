namespace CinchFlows.Flows;

/// <summary>Where an event for a call or service job went.</summary>
/// <param name="Delivered">Running flows that received it.</param>
/// <param name="Known">Every flow of that call or job, running or finished; empty means "no flow" (a 404).</param>
public sealed record FlowDelivery(IReadOnlyList<string> Delivered, IReadOnlyList<string> Known)
{
    /// <summary>The flow to name in an answer: the first that received it, else the first known.</summary>
    public string? PrimaryId => Delivered.Count > 0 ? Delivered[0] : Known.Count > 0 ? Known[0] : null;
}
