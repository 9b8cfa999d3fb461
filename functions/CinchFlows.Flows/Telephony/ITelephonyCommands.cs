namespace CinchFlows.Flows.Telephony;

/// <summary>Sends commands to the telephony platform (docs/api.md §2).</summary>
public interface ITelephonyCommands
{
    /// <summary>
    /// Sends one command; returns when the platform accepted it (2xx) and throws otherwise, so the calling activity
    /// retries with the same <see cref="TelephonyCommand.IdempotencyKey"/>.
    /// </summary>
    Task SendAsync(TelephonyCommand command, CancellationToken cancellationToken);
}
