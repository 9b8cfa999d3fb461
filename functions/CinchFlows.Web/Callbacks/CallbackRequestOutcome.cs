namespace CinchFlows.Web.Callbacks;

/// <summary>What handling a callback request did.</summary>
internal enum CallbackRequestOutcome
{
    /// <summary>F3 started for the request.</summary>
    Started,

    /// <summary>F3 for this request id existed already: a redelivery, nothing changed.</summary>
    Duplicate,
}
