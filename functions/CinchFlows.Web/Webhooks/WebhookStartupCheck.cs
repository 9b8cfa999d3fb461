using Microsoft.Extensions.Hosting;

namespace CinchFlows.Web.Webhooks;

/// <summary>Warns at startup when no webhook secret is configured, so a deployment that refuses every webhook is obvious from the log.</summary>
internal sealed class WebhookStartupCheck(WebhookVerifier verifier, ILogger<WebhookStartupCheck> logger) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!verifier.HasSecrets)
        {
            logger.NoSecretsConfigured();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
