namespace CinchFlows.Flows;

/// <summary>
/// An event for a flow the engine has not started yet (still Pending): the backend would drop it, so it is not sent and
/// the caller is asked to try again shortly (a 503). A flow is Pending for a moment after its start, and up to the
/// message visibility timeout when the worker that took its start died (docs/engine.md).
/// </summary>
public sealed class FlowStartingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowStartingException()
    {
    }

    /// <summary>Creates the exception with a message for the caller.</summary>
    public FlowStartingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FlowStartingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
