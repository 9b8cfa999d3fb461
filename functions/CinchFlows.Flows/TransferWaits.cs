using CinchFlows.Durable;
using CinchFlows.Flows.Events;

namespace CinchFlows.Flows;

/// <summary>Waits for the outcome of a warm transfer: connected, failed, call ended, or timed out.</summary>
internal static class TransferWaits
{
    /// <summary>
    /// Waits until <paramref name="deadline"/> for the transfer to <paramref name="targetExtension"/> to connect or
    /// fail, or the call to end. Events about another extension (another flow's transfer on the same call) are skipped.
    /// </summary>
    public static async Task<TransferWaitResult> WaitForTransferAsync(this TaskOrchestrationContext context, string targetExtension, DateTime deadline)
    {
        using var cancel = new CancellationTokenSource();
        var timer = context.CreateTimer(deadline, cancel.Token);
        var ended = context.WaitForExternalEvent<CallEnded>(FlowEvents.CallEnded, cancel.Token);
        var connected = context.WaitForExternalEvent<TransferConnected>(FlowEvents.TransferConnected, cancel.Token);
        var failed = context.WaitForExternalEvent<TransferFailed>(FlowEvents.TransferFailed, cancel.Token);
        try
        {
            while (true)
            {
                var first = await Task.WhenAny(connected, failed, ended, timer).ConfigureAwait(true);
                if (first == connected)
                {
                    if (IsFor(connected.Result.TargetExtension, targetExtension))
                    {
                        return TransferWaitResult.Connected;
                    }

                    connected = context.WaitForExternalEvent<TransferConnected>(FlowEvents.TransferConnected, cancel.Token);
                }
                else if (first == failed)
                {
                    if (IsFor(failed.Result.TargetExtension, targetExtension))
                    {
                        return TransferWaitResult.Failed;
                    }

                    failed = context.WaitForExternalEvent<TransferFailed>(FlowEvents.TransferFailed, cancel.Token);
                }
                else
                {
                    return first == ended ? TransferWaitResult.CallEnded : TransferWaitResult.TimedOut;
                }
            }
        }
        finally
        {
            // Synchronous on purpose: CancelAsync would resume the orchestration outside its replay.
#pragma warning disable CA1849
            cancel.Cancel();
#pragma warning restore CA1849
        }
    }

    private static bool IsFor(string? reported, string target) =>
        string.IsNullOrEmpty(reported) || string.Equals(reported.TrimStart('x', 'X'), target.TrimStart('x', 'X'), StringComparison.Ordinal);
}
