namespace CinchFlows.TelephonySimulator;

/// <summary>Runs an action once, on the first <see cref="Dispose"/>: ends a subscription.</summary>
internal sealed class Unsubscriber(Action unsubscribe) : IDisposable
{
    private Action? unsubscribe = unsubscribe;

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Exchange(ref unsubscribe, null)?.Invoke();
}
