using Microsoft.DurableTask;

namespace CinchFlows.Flows.Telephony;

/// <summary>Sends one command to the telephony platform; its idempotency key comes from the flow, so every retry carries the same key.</summary>
internal sealed class SendTelephonyCommandActivity(ITelephonyCommands commands) : TaskActivity<TelephonyCommand, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, TelephonyCommand input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = FlowTracing.StartCommand(input.Type, input.IdempotencyKey);
        await commands.SendAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
