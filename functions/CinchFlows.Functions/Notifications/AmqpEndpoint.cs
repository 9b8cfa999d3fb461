using Amqp;
using Azure.Identity;

namespace CinchFlows.Functions.Notifications;

/// <summary>
/// Where the AMQP publisher connects and how it is authorized: SASL PLAIN with a broker URL's user and password, or
/// SASL ANONYMOUS and a CBS token per entity (Service Bus: SAS or Microsoft Entra ID).
/// </summary>
internal sealed class AmqpEndpoint
{
    /// <summary>An endpoint at <paramref name="address"/>; with a <paramref name="tokenProvider"/>, links are authorized through CBS.</summary>
    public AmqpEndpoint(Address address, ICbsTokenProvider? tokenProvider = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        TokenProvider = tokenProvider;
    }

    /// <summary>The broker's address (with the SASL PLAIN credentials, if any).</summary>
    public Address Address { get; }

    /// <summary>Supplies CBS tokens; null when the connection's SASL handshake is all the authorization there is.</summary>
    public ICbsTokenProvider? TokenProvider { get; }

    /// <summary>The broker's host name, which CBS audiences name.</summary>
    public string Host => Address.Host;

    /// <summary>Builds the endpoint that <paramref name="options"/> describe (already validated).</summary>
    public static AmqpEndpoint Create(AmqpNotificationOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var parsed = AmqpConnectionString.Parse(options.ConnectionString);
            if (parsed.IsServiceBus)
            {
                return new AmqpEndpoint(
                    new Address(parsed.Host, parsed.Port, null, null, "/", parsed.Scheme),
                    new SharedAccessSignatureTokenProvider(parsed.SharedAccessKeyName, parsed.SharedAccessKey, timeProvider));
            }

            return new AmqpEndpoint(new Address(parsed.Host, parsed.Port, parsed.UserName, parsed.Password, "/", parsed.Scheme));
        }

        var host = NamespaceHost(options.FullyQualifiedNamespace)
            ?? throw new InvalidOperationException("Notifications:Amqp needs a ConnectionString or a FullyQualifiedNamespace.");
        var credential = options.Credential
            ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ClientId });
        return new AmqpEndpoint(new Address(host, AmqpConnectionString.AmqpsPort, null, null, "/", "amqps"), new EntraIdTokenProvider(credential));
    }

    /// <summary>The host of a namespace given as <c>ns.servicebus.windows.net</c> or <c>sb://ns.servicebus.windows.net/</c>; null when it is neither.</summary>
    public static string? NamespaceHost(string? fullyQualifiedNamespace)
    {
        var text = fullyQualifiedNamespace?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : null;
        }

        text = text.TrimEnd('/');
        return Uri.CheckHostName(text) == UriHostNameType.Dns ? text : null;
    }

    /// <summary>The endpoint without credentials, for logs and messages.</summary>
    public override string ToString() => $"{Address.Scheme}://{Address.Host}:{Address.Port}";
}
