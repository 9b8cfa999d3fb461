namespace CinchFlows.Functions.Notifications;

/// <summary>The entity a CBS token is put for: a host and an entity path (the link's address).</summary>
/// <param name="Host">The broker's host, e.g. <c>ns.servicebus.windows.net</c>.</param>
/// <param name="EntityPath">The entity, e.g. the topic name.</param>
internal sealed record CbsAudience(string Host, string EntityPath)
{
    /// <summary>The <c>name</c> of the put-token request: <c>amqp://{host}/{entity}</c>.</summary>
    public string Name => $"amqp://{Host}/{EntityPath.TrimStart('/')}";

    /// <summary>The resource a SAS token signs: <c>http://{host}/{entity}</c>, lower-case (SAS is not AMQP-specific, and Service Bus names ignore case).</summary>
    public string Resource => $"http://{Host}/{EntityPath.TrimStart('/')}".ToLowerInvariant();
}
