namespace CinchFlows.Flows;

/// <summary>Input a flow cannot start from (unknown escalation reason pair, bad id, unknown time zone): the caller's mistake, a 400.</summary>
public sealed class FlowInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowInputException()
    {
    }

    /// <summary>Creates the exception with a message for the caller.</summary>
    public FlowInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FlowInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
