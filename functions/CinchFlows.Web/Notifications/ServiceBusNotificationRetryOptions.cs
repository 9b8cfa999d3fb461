using Azure.Messaging.ServiceBus;

namespace CinchFlows.Web.Notifications;

/// <summary>
/// The Service Bus client's own retries (configuration section <c>Notifications:ServiceBus:Retry</c>).
/// </summary>
/// <remarks>
/// They only ride out a brief blip inside one attempt: the publishing step itself is retried by the flow
/// (<c>Flows:Commands</c>), so the defaults are shorter than the SDK's (3 retries, 60 s per try).
/// </remarks>
internal sealed class ServiceBusNotificationRetryOptions
{
    /// <summary>Fixed or exponential back-off. Default is <see cref="ServiceBusRetryMode.Exponential"/>.</summary>
    public ServiceBusRetryMode Mode { get; set; } = ServiceBusRetryMode.Exponential;

    /// <summary>Retries after the first try (0 to 10). Default is 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Wait before the first retry (the base of the back-off). Default is 0.5 seconds.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No wait between retries is longer than this. Default is 5 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one try (connecting, authorizing, sending) may take. Default is 30 seconds.</summary>
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The SDK's retry options these settings describe.</summary>
    public ServiceBusRetryOptions ToRetryOptions() => new()
    {
        Mode = Mode,
        MaxRetries = MaxRetries,
        Delay = Delay,
        MaxDelay = MaxDelay,
        TryTimeout = TryTimeout,
    };
}
