using Microsoft.Extensions.Hosting;

namespace CinchFlows.Web.Access;

/// <summary>Warns at startup when no API key is configured, so a locked-out deployment is obvious from the log.</summary>
internal sealed class AccessStartupCheck(AccessKeyMatcher matcher, ILogger<AccessStartupCheck> logger) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!matcher.HasKeys)
        {
            logger.NoKeysConfigured();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
