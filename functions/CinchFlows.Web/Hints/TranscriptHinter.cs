using CinchFlows.Flows;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Http;
using CinchFlows.Web.Telephony;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Hints;

/// <summary>
/// Listens to a transcript segment on the webhook path, in memory: a final customer segment is matched against the
/// lexicon and, once per call and protocol (the <see cref="IHintLedger"/> insert is the guard, across instances and
/// restarts), a signed <c>agent.hint</c> goes to the agent's desktop. Nothing of the text is kept.
/// </summary>
internal sealed class TranscriptHinter(
    IHintLedger ledger,
    ITelephonyCommands commands,
    IOptionsMonitor<HintOptions> options,
    TimeProvider timeProvider,
    ILogger<TranscriptHinter> logger)
{
    private (HintOptions Options, PhraseMatcher Matcher)? current;

    /// <summary>The protocols hinted now because of <paramref name="segment"/>; empty when none (or already hinted).</summary>
    /// <exception cref="TelephonyCommandException">A hint could not be sent (its guard is removed first, so a redelivery tries again).</exception>
    public async Task<IReadOnlyList<HintProtocol>> HandleAsync(TranscriptSegment segment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var settings = options.CurrentValue;
        if (!settings.Enabled || segment.Speaker != TranscriptSpeaker.Customer || !segment.Final)
        {
            return [];
        }

        var matched = MatcherFor(settings).Match(segment.Text);
        var sent = new List<HintProtocol>(matched.Count);
        foreach (var protocol in matched)
        {
            if (!await ledger.TryRecordAsync(segment.CallId, protocol, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                logger.HintAlreadyGiven(segment.CallId, protocol);
                continue;
            }

            var command = TelephonyCommand.AgentHint(
                segment.CallId, segment.AgentId, protocol.WireName(), protocol.NextStep(), HintProtocols.IdempotencyKey(segment.CallId, protocol));
            try
            {
                await commands.SendAsync(command, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TelephonyCommandException or InvalidOperationException or HttpRequestException or OperationCanceledException)
            {
                logger.HintUndelivered(ex, segment.CallId, protocol);
                await ForgetAsync(segment.CallId, protocol).ConfigureAwait(false);
                throw new TelephonyCommandException($"The {protocol.WireName()} hint on call {segment.CallId} could not be sent to the telephony platform.", innerException: ex);
            }

            FlowMetrics.HintSent(protocol.WireName());
            logger.HintSent(segment.CallId, segment.AgentId, protocol);
            sent.Add(protocol);
        }

        return sent;
    }

    private async Task ForgetAsync(string callId, HintProtocol protocol)
    {
        try
        {
            await ledger.ForgetAsync(callId, protocol, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            logger.HintNotForgotten(ex, callId, protocol);
        }
    }

    private PhraseMatcher MatcherFor(HintOptions settings)
    {
        // Rebuilt only when the options change (a new instance); a race builds it twice, harmlessly.
        if (current is { } built && ReferenceEquals(built.Options, settings))
        {
            return built.Matcher;
        }

        var matcher = new PhraseMatcher(settings.EffectiveLexicon(), [.. DefaultLexicon.Exceptions, .. settings.ExtraExceptions], settings.NegationWindow);
        current = (settings, matcher);
        return matcher;
    }
}
