using Azure.Core;

namespace CinchFlows.Functions.Notifications;

/// <summary>Gets Microsoft Entra ID access tokens for Service Bus (one scope for every entity; the credential caches them).</summary>
internal sealed class EntraIdTokenProvider(TokenCredential credential) : ICbsTokenProvider
{
    /// <summary>The scope of Service Bus data-plane tokens.</summary>
    public const string Scope = "https://servicebus.azure.net/.default";

    /// <inheritdoc/>
    public async ValueTask<CbsToken> GetTokenAsync(CbsAudience audience, CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
        return new CbsToken(CbsToken.JwtType, token.Token, token.ExpiresOn);
    }
}
