namespace CinchFlows.Functions.Notifications;

/// <summary>Supplies the tokens the AMQP publisher puts on the broker's <c>$cbs</c> node before it sends to an entity.</summary>
internal interface ICbsTokenProvider
{
    /// <summary>A fresh token for <paramref name="audience"/>.</summary>
    ValueTask<CbsToken> GetTokenAsync(CbsAudience audience, CancellationToken cancellationToken);
}
