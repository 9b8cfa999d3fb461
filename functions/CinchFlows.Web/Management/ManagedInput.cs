using System.Buffers;
using System.Reflection;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Management;

/// <summary>
/// What the management API lets ops put into a call-center flow (docs/api.md §5): a start's input holds only the fields
/// of that flow's input record, an event's data only those of the payload record of an event the flow waits for, and
/// every text value is an id, key or code (no spaces), so nothing said on a call can be stored this way. Refusals name
/// the field, never its value. Orchestrations other than the three flows (test flows; production registers none) are
/// not checked.
/// </summary>
internal static class ManagedInput
{
    /// <summary>The longest text value accepted.</summary>
    public const int MaxValueLength = 200;

    private static readonly Dictionary<string, Type> FlowInputs = new(StringComparer.Ordinal)
    {
        [FlowNames.MedicalEmergencyTransfer] = typeof(MedicalEmergencyTransferInput),
        [FlowNames.SeverityEscalation] = typeof(SeverityEscalationInput),
        [FlowNames.SupervisorCallback] = typeof(SupervisorCallbackInput),
    };

    private static readonly Dictionary<string, Type> EventPayloads = new(StringComparer.Ordinal)
    {
        [FlowEvents.TransferConnected] = typeof(TransferConnected),
        [FlowEvents.TransferFailed] = typeof(TransferFailed),
        [FlowEvents.CallEnded] = typeof(CallEnded),
        [FlowEvents.SeverityChanged] = typeof(SeverityChanged),
        [FlowEvents.EscalationAcknowledged] = typeof(EscalationAcknowledgement),
        [FlowEvents.CallbackClaimed] = typeof(CallbackClaim),
        [FlowEvents.CallbackCompleted] = typeof(CallbackCompletion),
    };

    // The events each flow waits for (F1 and F3 both make warm transfers).
    private static readonly Dictionary<string, string[]> FlowEventNames = new(StringComparer.Ordinal)
    {
        [FlowNames.MedicalEmergencyTransfer] = [FlowEvents.TransferConnected, FlowEvents.TransferFailed, FlowEvents.CallEnded],
        [FlowNames.SeverityEscalation] = [FlowEvents.EscalationAcknowledged, FlowEvents.SeverityChanged],
        [FlowNames.SupervisorCallback] = [FlowEvents.CallbackClaimed, FlowEvents.CallbackCompleted, FlowEvents.TransferConnected, FlowEvents.TransferFailed, FlowEvents.CallEnded],
    };

    // Events that say which person acted: only the supervisor API raises them, with the person from the caller's
    // credential (docs/api.md §4), so nobody can record someone else as having claimed or acknowledged through here.
    private static readonly HashSet<string> PersonEvents = new(StringComparer.Ordinal)
    {
        FlowEvents.EscalationAcknowledged, FlowEvents.CallbackClaimed, FlowEvents.CallbackCompleted,
    };

    private static readonly SearchValues<char> ValueCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@+/");

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    /// <summary>True when <paramref name="flow"/> is a call-center flow whose input and events are checked.</summary>
    public static bool IsChecked(string flow) => FlowInputs.ContainsKey(flow);

    /// <summary>Null when <paramref name="input"/> may start <paramref name="flow"/>; otherwise why not (never quoting a value).</summary>
    public static string? CheckStart(string flow, JsonElement? input)
    {
        if (!FlowInputs.TryGetValue(flow, out var record))
        {
            return null;
        }

        return Check(record, input, "input", flow == FlowNames.MedicalEmergencyTransfer);
    }

    /// <summary>Null when an instance of <paramref name="flow"/> may get <paramref name="eventName"/> with <paramref name="data"/>; otherwise why not.</summary>
    public static string? CheckEvent(string? flow, string eventName, JsonElement? data)
    {
        if (flow is null || !FlowEventNames.TryGetValue(flow, out var events))
        {
            return null;
        }

        if (!events.Contains(eventName, StringComparer.Ordinal))
        {
            return $"A {flow} flow waits for no event of that name; it takes {string.Join(", ", events.Where(e => !PersonEvents.Contains(e)))} here.";
        }

        if (PersonEvents.Contains(eventName))
        {
            return $"{eventName} records who acted, so it is raised only through the supervisor API (claim, complete, acknowledge), which takes the person from their sign-in.";
        }

        return Check(EventPayloads[eventName], data, "data", medical: false);
    }

    private static string? Check(Type record, JsonElement? value, string path, bool medical)
    {
        if (value is not { ValueKind: JsonValueKind.Object } json)
        {
            return $"The body must be a JSON object with the fields {string.Join(", ", FieldsOf(record).Keys)}.";
        }

        if (CheckObject(record, json, path, medical) is { } refusal)
        {
            return refusal;
        }

        try
        {
            JsonSerializer.Deserialize(json, record, FlowJson.Options);
            return null;
        }
        catch (JsonException ex)
        {
            // The reader's path names the field; its message could quote the value, so it is left out.
            return $"'{path}{ex.Path?.TrimStart('$')}' has the wrong type or an unknown value.";
        }
    }

    private static string? CheckObject(Type record, JsonElement json, string path, bool medical)
    {
        var fields = FieldsOf(record);
        foreach (var property in json.EnumerateObject())
        {
            var named = property.Name.Length <= 64 && !property.Name.AsSpan().ContainsAnyExcept(NameCharacters)
                ? $"'{path}.{property.Name}'"
                : $"a field of '{path}'";
            if (!fields.TryGetValue(property.Name, out var field))
            {
                return medical && TelephonyEventParser.FreeTextFields.Contains(property.Name)
                    ? $"{named} is not accepted: it could hold details of a medical condition, and only that a disclosure happened is recorded."
                    : $"{named} is not accepted; the fields are {string.Join(", ", fields.Keys)}.";
            }

            var type = Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType;
            if (property.Value.ValueKind == JsonValueKind.Object && type.IsClass && type != typeof(string))
            {
                if (CheckObject(type, property.Value, $"{path}.{property.Name}", medical) is { } nested)
                {
                    return nested;
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.String
                && (property.Value.GetString() is not { Length: > 0 and <= MaxValueLength } text || text.AsSpan().ContainsAnyExcept(ValueCharacters)))
            {
                return $"{named} must be an id, key or code: 1-{MaxValueLength} characters of letters, digits and '-', '_', '.', ':', '@', '+', '/' (no free text).";
            }
        }

        var missing = fields.Where(f => f.Value.Required && !json.TryGetProperty(f.Key, out _)).Select(f => f.Key).FirstOrDefault();
        return missing is null ? null : $"'{path}.{missing}' is required.";
    }

    private static Dictionary<string, (Type PropertyType, bool Required)> FieldsOf(Type record)
    {
        var nullability = new NullabilityInfoContext();
        return record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .ToDictionary(
                p => JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p => (p.PropertyType, p.PropertyType.IsValueType
                    ? Nullable.GetUnderlyingType(p.PropertyType) is null
                    : nullability.Create(p).ReadState == NullabilityState.NotNull),
                StringComparer.Ordinal);
    }
}
