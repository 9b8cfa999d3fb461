using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Hints;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace CinchFlows.Web.Webhooks;

/// <summary>
/// Turns a webhook body (a CloudEvents 1.0 event in structured JSON mode) into a <see cref="TelephonyEvent"/> with a typed
/// data record. Only known fields are read; on a medical-emergency event any other field is refused (it could hold
/// details of the condition), on other events other fields are dropped. Errors name fields, never values.
/// </summary>
internal static class TelephonyEventParser
{
    /// <summary>Deepest JSON nesting accepted: events need three levels (envelope, data, provider).</summary>
    public const int MaxDepth = 16;

    private const int MaxEchoedLength = 64;

    /// <summary>
    /// Field names that could carry free text about a medical condition (compared ignoring case). Any field but
    /// <see cref="MedicalEmergencyFields"/> is refused on a medical-emergency event (these get a message that says why);
    /// these are also refused there as CloudEvents extension attributes.
    /// </summary>
    internal static readonly FrozenSet<string> FreeTextFields = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "condition", "conditions", "notes", "note", "details", "detail", "description", "diagnosis", "diagnoses",
        "symptoms", "symptom", "comment", "comments", "reason", "medicalInfo", "medicalinfo", "medical", "medication",
        "medications", "illness", "injury", "injuries", "disability", "health", "healthInfo", "healthinfo", "treatment",
        "message", "text", "summary", "transcript", "remarks", "memo", "narrative", "disclosure");

    /// <summary>The only fields a medical-emergency event may carry (docs/api.md §1).</summary>
    private static readonly string[] MedicalEmergencyFields = ["callId", "agentId", "customerId", "serviceRequestId"];

    private static readonly SearchValues<char> ReasonCodeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    private static readonly SearchValues<char> IdentifierCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    private static readonly JsonEventFormatter Formatter = new(
        null,
        new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });

    /// <summary>Parses <paramref name="body"/>.</summary>
    /// <exception cref="TelephonyEventException">The body is not an event the service takes.</exception>
    public static TelephonyEvent Parse(ReadOnlyMemory<byte> body)
    {
        // The JSON reader checks UTF-8 only where a value is decoded, and that can be deep inside the SDK: check it all here.
        if (!Utf8.IsValid(body.Span))
        {
            throw new TelephonyEventException("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            // The parser's own message can quote the body: give the position only.
            var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } position
                ? string.Create(CultureInfo.InvariantCulture, $": error at line {line + 1}, byte {position + 1}")
                : string.Empty;
            throw new TelephonyEventException(
                $"The body is not valid JSON (or is nested deeper than {MaxDepth} levels, or repeats a property){where}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TelephonyEventException("The body must be a CloudEvents 1.0 event: a JSON object.");
            }

            CloudEvent cloudEvent;
            try
            {
                cloudEvent = Formatter.ConvertFromJsonElement(WithUsableTime(document.RootElement), extensionAttributes: null);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or JsonException)
            {
                throw new TelephonyEventException($"The body is not a valid CloudEvents 1.0 event in structured JSON mode: {ex.Message}");
            }

            if (cloudEvent.SpecVersion != CloudEventsSpecVersion.V1_0)
            {
                throw new TelephonyEventException("'specversion' must be \"1.0\".");
            }

            var type = cloudEvent.Type!;
            if (!TelephonyEventTypes.All.Contains(type, StringComparer.Ordinal))
            {
                throw new TelephonyEventException(
                    $"Unknown event type '{Truncate(type)}'. Accepted types: {string.Join(", ", TelephonyEventTypes.All)}.");
            }

            if (type == TelephonyEventTypes.MedicalEmergencyFlagged)
            {
                RefuseFreeTextAttributes(cloudEvent);
            }

            if (cloudEvent.Data is not JsonElement { ValueKind: JsonValueKind.Object } data)
            {
                throw new TelephonyEventException("'data' must be a JSON object (with a JSON datacontenttype, or none).");
            }

            // Privacy first: refuse what could carry the condition before looking at anything else.
            if (type == TelephonyEventTypes.MedicalEmergencyFlagged
                && data.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !MedicalEmergencyFields.Contains(name, StringComparer.Ordinal)) is { } refused)
            {
                throw new TelephonyEventException(RefusalMessage(refused));
            }

            return new TelephonyEvent(cloudEvent.Id!, type, ReadData(type, new JsonFieldReader(data, "data")));
        }
    }

    private static object ReadData(string type, JsonFieldReader data) => type switch
    {
        TelephonyEventTypes.MedicalEmergencyFlagged => new MedicalEmergencyFlagged(
            data.RequiredString("callId"),
            data.RequiredString("agentId"),
            data.RequiredString("customerId"),
            data.OptionalString("serviceRequestId")),
        TelephonyEventTypes.TransferConnected => new TransferConnected(data.RequiredString("callId"), data.RequiredString("targetExtension"), data.OptionalString("idempotencyKey")),

        // docs/api.md lists "reason" for a failed transfer; it is optional here because refusing the event would lose the
        // failure itself, and the flow treats a missing reason as "unknown".
        TelephonyEventTypes.TransferFailed => new TransferFailed(
            data.RequiredString("callId"),
            data.RequiredString("targetExtension"),
            ReasonCode(data.OptionalString("reason")),
            data.OptionalString("idempotencyKey")),
        TelephonyEventTypes.SupervisorRequested => new SupervisorRequested(
            data.RequiredString("callId"),
            data.RequiredString("agentId"),
            data.RequiredString("customerId"),
            data.RequiredBoolean("supervisorAvailable")),
        TelephonyEventTypes.EscalationRaised => new EscalationRaised(
            data.RequiredString("serviceJobId"),
            data.RequiredString("reason"),
            data.RequiredString("subReason"),
            data.RequiredString("raisedBy"),
            data.RequiredEnum<ContactRole>("contactRole"),
            data.OptionalEnum<EscalationSeverity>("severity"),
            data.OptionalObject("provider") is { } provider
                ? new ServiceProviderContact(provider.RequiredString("providerId"), provider.RequiredString("timeZone"), provider.RequiredString("phone"))
                : null),
        TelephonyEventTypes.SeverityChanged => new SeverityChanged(data.RequiredString("serviceJobId"), data.RequiredEnum<EscalationSeverity>("severity")),
        TelephonyEventTypes.CallEnded => new CallEnded(data.RequiredString("callId")),
        TelephonyEventTypes.TranscriptSegment => new TranscriptSegment(
            data.RequiredString("callId"),
            data.RequiredString("agentId"),
            data.RequiredEnum<TranscriptSpeaker>("speaker"),
            data.RequiredText("text"),
            data.RequiredBoolean("final")),
        _ => throw new TelephonyEventException($"Unknown event type '{Truncate(type)}'."),
    };

    private static void RefuseFreeTextAttributes(CloudEvent cloudEvent)
    {
        foreach (var (attribute, _) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute.IsExtension && FreeTextFields.Contains(attribute.Name))
            {
                throw new TelephonyEventException(
                    $"The attribute '{attribute.Name}' is not accepted on a medical-emergency event: only that a disclosure happened is recorded, never details of a condition.");
            }
        }
    }

    private static string RefusalMessage(string field)
    {
        // A field name can be free text too: name it only when it looks like an identifier.
        var named = field.Length <= MaxEchoedLength && !field.AsSpan().ContainsAnyExcept(IdentifierCharacters)
            ? $"'data.{field}'"
            : "a field of 'data'";
        var why = FreeTextFields.Contains(field)
            ? "it could hold details of a medical condition, and only that a disclosure happened is recorded"
            : "a medical-emergency event takes only callId, agentId, customerId and serviceRequestId, so that no details of a condition are recorded";
        return $"{char.ToUpperInvariant(named[0])}{named[1..]} is not accepted on a medical-emergency event: {why}.";
    }

    private static string Truncate(string value) => value.Length <= MaxEchoedLength ? value : value[..MaxEchoedLength] + "…";

    /// <summary>
    /// The event with its optional <c>time</c> made acceptable to the CloudEvents SDK, which refuses valid RFC 3339
    /// forms (lowercase <c>t</c>/<c>z</c>, a leap second). The service never reads <c>time</c>: a form still not
    /// understood is dropped rather than refused, so a platform's event is never lost over its timestamp.
    /// </summary>
    private static JsonElement WithUsableTime(JsonElement root)
    {
        if (!root.TryGetProperty("time", out var time) || time.ValueKind != JsonValueKind.String)
        {
            return root;
        }

        var text = time.GetString()!;
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return root;
        }

        var node = JsonNode.Parse(root.GetRawText())!.AsObject();
        var normalized = text.ToUpperInvariant();
        if (normalized.Length > 19 && normalized.AsSpan(16, 3).SequenceEqual(":60"))
        {
            normalized = string.Concat(normalized.AsSpan(0, 17), "59", normalized.AsSpan(19));
        }

        if (DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && parsed.UtcDateTime.Year > 1)
        {
            node["time"] = parsed.ToString("O", CultureInfo.InvariantCulture);
        }
        else
        {
            node.Remove("time");
        }

        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>
    /// A transfer failure's <c>reason</c> as a short code (<c>busy</c>, <c>no-answer</c>); anything else, which could be
    /// a sentence about the caller, becomes <c>unspecified</c> rather than being stored or refused (refusing would lose
    /// the failure itself).
    /// </summary>
    private static string? ReasonCode(string? reason) =>
        reason is null ? null
        : reason.Length <= 40 && reason.Length > 0 && !reason.AsSpan().ContainsAnyExcept(ReasonCodeCharacters) ? reason
        : "unspecified";
}
