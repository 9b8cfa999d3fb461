using Azure.Core;

namespace CinchFlows.Web.Notifications;

/// <summary>How the "service-bus" transport reaches its namespace (configuration section <c>Notifications:ServiceBus</c>).</summary>
/// <remarks>Set <see cref="FullyQualifiedNamespace"/> (Microsoft Entra ID, the production setting) or <see cref="ConnectionString"/>, not both.</remarks>
internal sealed class ServiceBusNotificationOptions
{
    /// <summary>The namespace host, e.g. <c>contoso.servicebus.windows.net</c>, reached with Microsoft Entra ID. Default is null.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Client id of a user-assigned managed identity for <see cref="FullyQualifiedNamespace"/>. Default is null (system-assigned or developer credentials).</summary>
    public string? ClientId { get; set; }

    /// <summary>A Service Bus connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>), for namespaces with local auth on. Default is null.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The credential for <see cref="FullyQualifiedNamespace"/>. Default is null: a <c>DefaultAzureCredential</c> honouring <see cref="ClientId"/>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>How the client retries a send within one attempt of the publishing step. Default is <see cref="ServiceBusNotificationRetryOptions"/>'s defaults.</summary>
    public ServiceBusNotificationRetryOptions Retry { get; set; } = new();
}
