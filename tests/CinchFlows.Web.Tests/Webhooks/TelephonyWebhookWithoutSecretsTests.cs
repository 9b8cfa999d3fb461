using System.Net;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>With no webhook secret configured, every delivery is refused and the startup log says why.</summary>
public sealed class TelephonyWebhookWithoutSecretsTests : IAsyncLifetime
{
    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync(secrets: []);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Every_delivery_is_a_401()
    {
        var body = WebhookRequests.Event(TelephonyEventTypes.CallEnded, new { callId = "call-1" });

        using var primary = await app.PostAsync(body, secret: WebhookSecrets.Primary);
        using var other = await app.PostAsync(body, secret: WebhookSecrets.Unknown);

        Assert.Equal(HttpStatusCode.Unauthorized, primary.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public void The_startup_log_warns_that_no_secret_is_configured() =>
        Assert.Contains(app.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("Telephony:WebhookSecrets", StringComparison.Ordinal));
}
