using CinchFlows.Flows.Telephony;

namespace CinchFlows.IntegrationTests.Webhooks;

/// <summary>A telephony platform that accepts every command, so flows started in these tests keep running.</summary>
internal sealed class AcceptingTelephonyCommands : ITelephonyCommands
{
    public Task SendAsync(TelephonyCommand command, CancellationToken cancellationToken) => Task.CompletedTask;
}
