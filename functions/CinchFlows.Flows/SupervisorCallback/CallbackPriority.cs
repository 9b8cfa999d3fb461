namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>How urgent a callback is.</summary>
public enum CallbackPriority
{
    /// <summary>A customer asked for a supervisor.</summary>
    Normal,

    /// <summary>A medical-emergency caller whose transfer never connected.</summary>
    High,
}
