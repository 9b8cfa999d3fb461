namespace CinchFlows.Flows.Callbacks;

/// <summary>The kinds of answer to a claim or completion.</summary>
public enum CallbackChangeOutcome
{
    /// <summary>The task changed.</summary>
    Changed,

    /// <summary>It already was so (the same supervisor repeating a request): nothing changed.</summary>
    AlreadyDone,

    /// <summary>Refused: another supervisor holds it, or it is not claimed by this one.</summary>
    Conflict,

    /// <summary>No such task.</summary>
    NotFound,
}
