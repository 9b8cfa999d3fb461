namespace CinchFlows.Functions.Notifications;

/// <summary>Signs a SAS token per entity with a Service Bus shared access policy's key.</summary>
internal sealed class SharedAccessSignatureTokenProvider(string keyName, string key, TimeProvider timeProvider) : ICbsTokenProvider
{
    /// <summary>How long a signed token is valid; the publisher renews it well before.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public ValueTask<CbsToken> GetTokenAsync(CbsAudience audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var expiresAt = timeProvider.GetUtcNow() + TokenLifetime;
        var token = SharedAccessSignature.Build(audience.Resource, keyName, key, expiresAt);
        return ValueTask.FromResult(new CbsToken(CbsToken.SharedAccessSignatureType, token, expiresAt));
    }
}
