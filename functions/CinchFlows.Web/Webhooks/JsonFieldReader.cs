using System.Text.Json;

namespace CinchFlows.Web.Webhooks;

/// <summary>
/// Reads the fields of one JSON object strictly: a wrong JSON type or a missing or blank required field throws
/// <see cref="TelephonyEventException"/> naming the field (never its value). Fields never read are dropped: nothing but
/// what the caller reads goes on.
/// </summary>
internal sealed class JsonFieldReader
{
    /// <summary>The longest string a field may hold: ids, extensions and codes, never prose.</summary>
    public const int MaxStringLength = 256;

    private readonly JsonElement element;
    private readonly string prefix;

    /// <summary>Creates a reader over <paramref name="element"/>, naming fields as <c>{prefix}.{name}</c> (or just the name when the prefix is empty).</summary>
    /// <exception cref="TelephonyEventException"><paramref name="element"/> is not an object.</exception>
    public JsonFieldReader(JsonElement element, string prefix)
    {
        this.prefix = prefix;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TelephonyEventException(string.IsNullOrEmpty(prefix) ? "The body must be a JSON object." : $"'{prefix}' must be a JSON object.");
        }

        this.element = element;
    }

    /// <summary>A string that must be present, non-blank and at most <see cref="MaxStringLength"/> characters.</summary>
    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new TelephonyEventException($"'{Path(name)}' is required.");

    /// <summary>A string that may be absent or null (a blank string counts as absent); at most <see cref="MaxStringLength"/> characters.</summary>
    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new TelephonyEventException($"'{Path(name)}' must be a string.");
        }

        var text = value.GetString()!;
        if (text.Length > MaxStringLength)
        {
            throw new TelephonyEventException($"'{Path(name)}' must be at most {MaxStringLength} characters.");
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>
    /// Free text that must be present (it may be empty), of any length within the body's limit: a transcript segment.
    /// The value is never put in an error message.
    /// </summary>
    public string RequiredText(string name)
    {
        if (!TryGet(name, out var value))
        {
            throw new TelephonyEventException($"'{Path(name)}' is required.");
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new TelephonyEventException($"'{Path(name)}' must be a string.");
    }

    /// <summary>A JSON <c>true</c> or <c>false</c> that must be present.</summary>
    public bool RequiredBoolean(string name)
    {
        if (!TryGet(name, out var value))
        {
            throw new TelephonyEventException($"'{Path(name)}' is required.");
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new TelephonyEventException($"'{Path(name)}' must be true or false."),
        };
    }

    /// <summary>An enum value written as its name (any case), which must be present.</summary>
    public TEnum RequiredEnum<TEnum>(string name)
        where TEnum : struct, Enum =>
        OptionalEnum<TEnum>(name) ?? throw new TelephonyEventException($"'{Path(name)}' is required.");

    /// <summary>An enum value written as its name (any case); absent, null or blank gives null.</summary>
    public TEnum? OptionalEnum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        if (OptionalString(name) is not { } text)
        {
            return null;
        }

        // Names only: Enum.TryParse alone would also take "2" or "1, 3".
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        var names = string.Join(", ", Enum.GetNames<TEnum>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
        throw new TelephonyEventException($"'{Path(name)}' must be one of {names}.");
    }

    /// <summary>A nested object that may be absent or null.</summary>
    public JsonFieldReader? OptionalObject(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? new JsonFieldReader(value, Path(name))
            : throw new TelephonyEventException($"'{Path(name)}' must be a JSON object.");
    }

    private bool TryGet(string name, out JsonElement value)
    {
        return element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private string Path(string name) => string.IsNullOrEmpty(prefix) ? name : prefix + "." + name;
}
