using System.Diagnostics.CodeAnalysis;

namespace CinchFlows.Functions.Notifications;

/// <summary>
/// A parsed <c>Notifications:Amqp:ConnectionString</c>: a broker URL (<c>amqp://user:password@host:port</c>) or a Service Bus
/// connection string (<c>Endpoint=sb://host/;SharedAccessKeyName=…;SharedAccessKey=…</c>). Its text never shows a secret.
/// </summary>
internal sealed class AmqpConnectionString
{
    /// <summary>The AMQP port without TLS.</summary>
    public const int AmqpPort = 5672;

    /// <summary>The AMQP port with TLS (Service Bus).</summary>
    public const int AmqpsPort = 5671;

    private AmqpConnectionString(bool useTls, string host, int port)
    {
        UseTls = useTls;
        Host = host;
        Port = port;
    }

    /// <summary>True for <c>amqps</c> (TLS).</summary>
    public bool UseTls { get; }

    /// <summary>The broker's host name.</summary>
    public string Host { get; }

    /// <summary>The broker's port.</summary>
    public int Port { get; }

    /// <summary>The SASL PLAIN user of a broker URL, if it has one.</summary>
    public string? UserName { get; private init; }

    /// <summary>The SASL PLAIN password of a broker URL, if it has one.</summary>
    public string? Password { get; private init; }

    /// <summary>The Service Bus shared access policy name; null for a broker URL.</summary>
    public string? SharedAccessKeyName { get; private init; }

    /// <summary>The Service Bus shared access key; null for a broker URL.</summary>
    public string? SharedAccessKey { get; private init; }

    /// <summary>True for a Service Bus connection string (authorized through CBS with SAS tokens).</summary>
    [MemberNotNullWhen(true, nameof(SharedAccessKeyName), nameof(SharedAccessKey))]
    public bool IsServiceBus => SharedAccessKeyName is not null && SharedAccessKey is not null;

    /// <summary>"amqps" or "amqp".</summary>
    public string Scheme => UseTls ? "amqps" : "amqp";

    /// <summary>Parses <paramref name="value"/>; throws <see cref="FormatException"/> (without the value, which may hold a secret) when it is not valid.</summary>
    public static AmqpConnectionString Parse(string value) =>
        TryParse(value, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>Parses <paramref name="value"/>; on failure <paramref name="error"/> says why, without repeating the value.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AmqpConnectionString? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "the connection string is empty.";
            return false;
        }

        if (text.StartsWith("amqp://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("amqps://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUrl(text, out result, out error);
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            return TryParseServiceBus(text, out result, out error);
        }

        error = "expected an amqp:// or amqps:// broker URL, or a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).";
        return false;
    }

    /// <summary>The endpoint without credentials, e.g. <c>amqps://ns.servicebus.windows.net:5671</c>.</summary>
    public override string ToString() => $"{Scheme}://{Host}:{Port}";

    private static bool TryParseUrl(string text, [NotNullWhen(true)] out AmqpConnectionString? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = "the broker URL is not a valid absolute URL with a host.";
            return false;
        }

        var useTls = string.Equals(uri.Scheme, "amqps", StringComparison.OrdinalIgnoreCase);
        var port = uri.Port > 0 ? uri.Port : useTls ? AmqpsPort : AmqpPort;
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? string.Empty : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        result = new AmqpConnectionString(useTls, uri.Host, port) { UserName = user, Password = password };
        error = null;
        return true;
    }

    private static bool TryParseServiceBus(string text, [NotNullWhen(true)] out AmqpConnectionString? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: Base64 keys end in '='.
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = "a Service Bus connection string is a list of key=value pairs separated by ';'.";
                return false;
            }

            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (!parts.TryGetValue("Endpoint", out var endpoint) || endpoint.Length == 0)
        {
            error = "the Service Bus connection string has no Endpoint (Endpoint=sb://<namespace>.servicebus.windows.net/).";
            return false;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri) || string.IsNullOrEmpty(endpointUri.Host)
            || !string.Equals(endpointUri.Scheme, "sb", StringComparison.OrdinalIgnoreCase))
        {
            error = "the Service Bus Endpoint must be an sb:// URL, e.g. sb://<namespace>.servicebus.windows.net/.";
            return false;
        }

        if (parts.ContainsKey("EntityPath"))
        {
            error = "EntityPath is not supported: notifications go to several topics, so use a namespace-level shared access policy.";
            return false;
        }

        if (!parts.TryGetValue("SharedAccessKeyName", out var keyName) || keyName.Length == 0
            || !parts.TryGetValue("SharedAccessKey", out var key) || key.Length == 0)
        {
            error = "the Service Bus connection string needs SharedAccessKeyName and SharedAccessKey (or use Notifications:Amqp:FullyQualifiedNamespace for Microsoft Entra ID).";
            return false;
        }

        // The local Service Bus emulator speaks plain AMQP; Azure only AMQP over TLS.
        var emulator = parts.TryGetValue("UseDevelopmentEmulator", out var flag) && bool.TryParse(flag, out var isEmulator) && isEmulator;
        var port = endpointUri.Port > 0 ? endpointUri.Port : emulator ? AmqpPort : AmqpsPort;
        result = new AmqpConnectionString(!emulator, endpointUri.Host, port) { SharedAccessKeyName = keyName, SharedAccessKey = key };
        error = null;
        return true;
    }
}
