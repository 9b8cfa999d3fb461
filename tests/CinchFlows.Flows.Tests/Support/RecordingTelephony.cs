using CinchFlows.Flows.Telephony;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>The telephony platform as the flows see it: records every command, acts once per idempotency key, can fail on demand.</summary>
internal sealed class RecordingTelephony : ITelephonyCommands
{
    private readonly List<TelephonyCommand> sent = [];
    private readonly List<TelephonyCommand> attempts = [];
    private int failuresLeft;

    /// <summary>Every delivery, failed ones included.</summary>
    public IReadOnlyList<TelephonyCommand> Attempts
    {
        get
        {
            lock (sent)
            {
                return [.. attempts];
            }
        }
    }

    /// <summary>Every delivery the platform accepted, repeats of a key included.</summary>
    public IReadOnlyList<TelephonyCommand> Sent
    {
        get
        {
            lock (sent)
            {
                return [.. sent];
            }
        }
    }

    /// <summary>The commands acted on: the first delivery of each idempotency key.</summary>
    public IReadOnlyList<TelephonyCommand> Acted => Sent.DistinctBy(c => c.IdempotencyKey).ToList();

    public IReadOnlyList<TelephonyCommand> ActedOfType(string type) => Acted.Where(c => c.Type == type).ToList();

    /// <summary>The next <paramref name="count"/> deliveries fail (recorded, not acted on).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    public Task SendAsync(TelephonyCommand command, CancellationToken cancellationToken)
    {
        lock (sent)
        {
            attempts.Add(command);
        }

        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            throw new HttpRequestException("telephony platform unavailable (test)");
        }

        lock (sent)
        {
            sent.Add(command);
        }

        return Task.CompletedTask;
    }
}
