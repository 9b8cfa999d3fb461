using System.Text;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Callbacks;

/// <summary>
/// Handles one message of the <c>callback-requests</c> queue: <c>{"requestId","customerId","channel","callId"?}</c> as
/// Base64 of UTF-8 JSON (what the Functions queue trigger expects) or as plain JSON text, and starts F3 for it. Used by
/// the standalone <see cref="CallbackRequestListener"/> and by a queue trigger under the Functions host alike.
/// </summary>
internal sealed class CallbackRequestHandler(CallCenterFlowClient flows, ILogger<CallbackRequestHandler> logger)
{
    private const int MaxDepth = 8;
    private const string NotJson = "The message is neither JSON nor Base64 of UTF-8 JSON.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Starts F3 for the request in <paramref name="messageText"/>; a redelivered request starts nothing.</summary>
    /// <param name="messageText">The message as stored: Base64 of JSON, or JSON.</param>
    /// <param name="dequeueCount">How many times the queue has handed the message out, this time included (for the log).</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <exception cref="FlowInputException">The message can never succeed: not JSON, a missing field, an id that is not usable.</exception>
    public async Task<CallbackRequestResult> HandleAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var request = Parse(messageText);
        var started = await flows.StartCallbackRequestAsync(request, cancellationToken).ConfigureAwait(false);
        var result = new CallbackRequestResult(started.Created ? CallbackRequestOutcome.Started : CallbackRequestOutcome.Duplicate, started.InstanceId);
        logger.Handled(request.RequestId, dequeueCount, result.Outcome, result.FlowId);
        return result;
    }

    /// <summary>Reads the request from the message text.</summary>
    /// <exception cref="FlowInputException">The text is not a callback request.</exception>
    public static CallbackRequest Parse(string? messageText)
    {
        var json = Decode(messageText ?? string.Empty);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
            var fields = new JsonFieldReader(document.RootElement, string.Empty);

            // Unknown fields are dropped: the record carries only what the flow needs.
            return new CallbackRequest(
                fields.RequiredString("requestId"),
                fields.RequiredString("customerId"),
                fields.RequiredString("channel"),
                fields.OptionalString("callId"));
        }
        catch (JsonException ex)
        {
            throw new FlowInputException($"The message is not valid JSON (or repeats a property, or nests deeper than {MaxDepth} levels): error at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}.");
        }
        catch (TelephonyEventException ex)
        {
            throw new FlowInputException(ex.Message, ex);
        }
    }

    private static string Decode(string text)
    {
        // A byte-order mark (some channels' UTF-8 writers add one) is not part of the message.
        var trimmed = text.AsSpan().Trim().TrimStart('\uFEFF');
        if (trimmed.IsEmpty)
        {
            throw new FlowInputException("The message is empty.");
        }

        // Plain JSON starts with '{' (or another JSON token); Base64 never does.
        if (trimmed[0] is '{' or '[' or '"')
        {
            return trimmed.ToString();
        }

        var bytes = new byte[(trimmed.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(trimmed, bytes, out var written))
        {
            throw new FlowInputException(NotJson);
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, written).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new FlowInputException(NotJson);
        }
    }
}
