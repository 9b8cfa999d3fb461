using System.Collections.Concurrent;
using CinchFlows.Flows.Telephony;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>Accepts every telephony command and keeps it, so flows started by webhooks keep running and tests can read what was sent.</summary>
internal sealed class RecordingTelephonyCommands : ITelephonyCommands
{
    private int failuresLeft;

    public ConcurrentQueue<TelephonyCommand> Sent { get; } = new();

    /// <summary>The next <paramref name="count"/> commands are refused, as a platform that is down would.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    public Task SendAsync(TelephonyCommand command, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            return Task.FromException(new Web.Telephony.TelephonyCommandException("refused in the test", System.Net.HttpStatusCode.ServiceUnavailable));
        }

        Sent.Enqueue(command);
        return Task.CompletedTask;
    }
}
