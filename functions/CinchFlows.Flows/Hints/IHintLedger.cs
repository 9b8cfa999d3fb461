namespace CinchFlows.Flows.Hints;

/// <summary>
/// Which hints were given, one entry per call and protocol holding only the protocol and the time: never what was said.
/// Shared by every instance of the app, so a hint is given once per call and protocol across instances and restarts.
/// </summary>
public interface IHintLedger
{
    /// <summary>Records a hint for <paramref name="callId"/> and <paramref name="protocol"/> if none is recorded; true when this call recorded it.</summary>
    Task<bool> TryRecordAsync(string callId, HintProtocol protocol, DateTimeOffset hintedTime, CancellationToken cancellationToken);

    /// <summary>When the hint for <paramref name="callId"/> and <paramref name="protocol"/> was given, or null when none was.</summary>
    Task<DateTimeOffset?> FindAsync(string callId, HintProtocol protocol, CancellationToken cancellationToken);

    /// <summary>Removes the entry (the hint could not be delivered, so a redelivered segment may try again).</summary>
    Task ForgetAsync(string callId, HintProtocol protocol, CancellationToken cancellationToken);
}
