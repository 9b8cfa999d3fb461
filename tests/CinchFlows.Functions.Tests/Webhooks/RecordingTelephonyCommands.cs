using System.Collections.Concurrent;
using CinchFlows.Flows.Telephony;

namespace CinchFlows.Functions.Tests.Webhooks;

/// <summary>Accepts every telephony command and keeps it, so flows started by webhooks keep running and tests can read what was sent.</summary>
internal sealed class RecordingTelephonyCommands : ITelephonyCommands
{
    public ConcurrentQueue<TelephonyCommand> Sent { get; } = new();

    public Task SendAsync(TelephonyCommand command, CancellationToken cancellationToken)
    {
        Sent.Enqueue(command);
        return Task.CompletedTask;
    }
}
