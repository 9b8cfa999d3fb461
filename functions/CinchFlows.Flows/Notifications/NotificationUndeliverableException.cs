namespace CinchFlows.Flows.Notifications;

/// <summary>
/// A notification that can never be sent as it is (e.g. larger than the topic or queue accepts). The flows do not
/// retry the step that throws it: its failure, with this message, is in the flow's history for ops to see.
/// </summary>
/// <remarks>The message names the notification's id, subject and topic and why, never its body.</remarks>
public sealed class NotificationUndeliverableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotificationUndeliverableException()
    {
    }

    /// <summary>Creates the exception with what happened.</summary>
    /// <param name="message">Which notification and why it can never be sent.</param>
    public NotificationUndeliverableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with what happened and the transport's error.</summary>
    /// <param name="message">Which notification and why it can never be sent.</param>
    /// <param name="innerException">The transport's error.</param>
    public NotificationUndeliverableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
