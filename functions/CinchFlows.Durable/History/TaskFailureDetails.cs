namespace CinchFlows.Durable.History;

/// <summary>Why an activity, sub-orchestration or orchestration failed.</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>Error type given to instances whose code no longer matches their history.</summary>
    public const string NonDeterministicErrorType = "NonDeterministic";

    /// <summary>Error type given to instances whose message was moved to the poison queue.</summary>
    public const string PoisonMessageErrorType = "PoisonMessage";

    /// <summary>Builds details from an exception, keeping the chain of inner exceptions.</summary>
    public static TaskFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException failed)
        {
            return new TaskFailureDetails(nameof(TaskFailedException), failed.Message, failed.StackTrace, failed.FailureDetails);
        }

        return new TaskFailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));
    }

    /// <summary>True when this failure, or one it wraps, was caused by the given exception type.</summary>
    public bool IsCausedBy<TException>()
        where TException : Exception
    {
        for (var f = this; f is not null; f = f.InnerFailure)
        {
            if (f.ErrorType == typeof(TException).FullName)
            {
                return true;
            }
        }

        return false;
    }
}
