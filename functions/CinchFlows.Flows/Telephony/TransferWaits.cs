using CinchFlows.Flows.Shared;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.Telephony;

/// <summary>Warm transfers (F1 steps 3-4, and F3's transfer to a supervisor): command, wait, try again.</summary>
internal static class TransferWaits
{
    /// <summary>
    /// Sends the transfer command (key "{flowId}:transfer:{attempt}": the same across the command's retries, new for a
    /// new attempt) and waits for the connection, up to <see cref="WarmTransfer.Attempts"/> times. A failed transfer or
    /// a timeout tries again; the call ending stops.
    /// </summary>
    public static async Task<WarmTransferResult> WarmTransferAsync(this TaskOrchestrationContext context, FlowSettings settings, WarmTransfer transfer)
    {
        for (var attempt = 1; attempt <= transfer.Attempts; attempt++)
        {
            var key = $"{context.InstanceId}:transfer:{attempt}";
            var since = context.CurrentUtcDateTime;
            var deadline = since + transfer.ConnectTimeout;
            try
            {
                await context.SendCommandAsync(settings, TelephonyCommand.WarmTransfer(transfer.CallId, transfer.TargetExtension, key, transfer.Note)).ConfigureAwait(true);
            }
            catch (TaskFailedException)
            {
                // The platform refused the command through every retry: a failed attempt, not a failed flow. The next
                // attempt comes after the connect timeout, as after any attempt that did not connect.
                context.SetFlowStatus(new FlowStatus
                {
                    Phase = "TransferCommandFailed",
                    Text = $"the telephony platform refused transfer attempt {attempt} of {transfer.Attempts} to {transfer.TargetName} (x{transfer.TargetExtension}); trying again at {FlowText.Clock(deadline)}",
                    Since = since,
                    Due = deadline,
                    Attempt = attempt,
                    Of = transfer.Attempts,
                });
                if (attempt < transfer.Attempts)
                {
                    await context.CreateTimer(deadline, CancellationToken.None).ConfigureAwait(true);
                }

                continue;
            }

            since = context.CurrentUtcDateTime;
            deadline = since + transfer.ConnectTimeout;
            context.SetFlowStatus(new FlowStatus
            {
                Phase = "WaitingForConnect",
                Text = $"waiting for {transfer.TargetName} (x{transfer.TargetExtension}) to answer, attempt {attempt} of {transfer.Attempts}, since {FlowText.Clock(since)}",
                Since = since,
                Due = deadline,
                Attempt = attempt,
                Of = transfer.Attempts,
            });
            switch (await context.WaitForTransferAsync(transfer.TargetExtension, key, deadline).ConfigureAwait(true))
            {
                case TransferWaitResult.Connected:
                    return new WarmTransferResult(Connected: true, attempt);
                case TransferWaitResult.CallEnded:
                    return new WarmTransferResult(Connected: false, attempt);
            }
        }

        return new WarmTransferResult(Connected: false, transfer.Attempts);
    }

    /// <summary>
    /// Waits until <paramref name="deadline"/> for the transfer to <paramref name="targetExtension"/> to connect or
    /// fail, or the call to end. Skipped: events about another extension, and events whose echoed idempotency key belongs
    /// to another flow (a connection) or to another attempt (a failure: an earlier attempt's late give-up must not end
    /// this one). A late connection of an earlier attempt of this flow still counts: the caller is through.
    /// </summary>
    private static async Task<TransferWaitResult> WaitForTransferAsync(this TaskOrchestrationContext context, string targetExtension, string attemptKey, DateTime deadline)
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
                    if (IsFor(connected.Result.TargetExtension, targetExtension)
                        && (connected.Result.IdempotencyKey is not { } connectedKey || connectedKey.StartsWith(context.InstanceId + ":transfer:", StringComparison.Ordinal)))
                    {
                        return TransferWaitResult.Connected;
                    }

                    connected = context.WaitForExternalEvent<TransferConnected>(FlowEvents.TransferConnected, cancel.Token);
                }
                else if (first == failed)
                {
                    if (IsFor(failed.Result.TargetExtension, targetExtension)
                        && (failed.Result.IdempotencyKey is not { } failedKey || failedKey == attemptKey))
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
