namespace CinchFlows.Functions.Notifications;

/// <summary>A token to put on a broker's <c>$cbs</c> node: its CBS type, its text and when it expires.</summary>
/// <param name="Type">The CBS token type, e.g. <see cref="SharedAccessSignatureType"/> or <see cref="JwtType"/>.</param>
/// <param name="Value">The token itself.</param>
/// <param name="ExpiresAt">When the broker stops honouring it.</param>
internal sealed record CbsToken(string Type, string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>The CBS type of a Service Bus SAS token.</summary>
    public const string SharedAccessSignatureType = "servicebus.windows.net:sastoken";

    /// <summary>The CBS type of a Microsoft Entra ID access token.</summary>
    public const string JwtType = "jwt";

    /// <summary>The token type and expiry only: the token is a secret.</summary>
    public override string ToString() => $"{Type} token expiring at {ExpiresAt:O}";
}
