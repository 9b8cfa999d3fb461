namespace CinchFlows.Web.Webhooks;

/// <summary>A webhook body that is not an event the service takes: the caller's mistake, answered 400 with the message.</summary>
/// <remarks>Messages name fields, never their values: a refused field may hold details of a medical condition.</remarks>
internal sealed class TelephonyEventException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TelephonyEventException()
    {
    }

    /// <summary>Creates the exception with a message for the caller.</summary>
    public TelephonyEventException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TelephonyEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
