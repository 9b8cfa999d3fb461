using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>Reads the invocation requests the Functions host posts to a custom handler: <c>{"Data":{…},"Metadata":{…}}</c>.</summary>
internal static class InvocationReader
{
    /// <summary>Largest invocation body: a queue message is at most 64 KiB, and JSON escaping can grow it a few times.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Reads the body as JSON; null with the reason when it is too large or not JSON.</summary>
    public static async Task<(JsonDocument? Document, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                return (null, $"The invocation body is larger than {MaxBodyBytes} bytes.");
            }
        }

        try
        {
            var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return (null, "The invocation body must be a JSON object with Data and Metadata.");
            }

            return (document, null);
        }
        catch (JsonException ex)
        {
            return (null, $"The invocation body is not JSON: {ex.Message}");
        }
    }

    /// <summary>Reads a queue-trigger invocation; null with the reason when the message is missing.</summary>
    public static (QueueInvocation? Invocation, string? Error) ReadQueue(JsonElement root, string bindingName)
    {
        if (!TryGetProperty(root, "Data", out var data) || data.ValueKind != JsonValueKind.Object || !TryGetProperty(data, bindingName, out var value))
        {
            return (null, $"The invocation has no Data.{bindingName}.");
        }

        var message = value.ValueKind switch
        {
            JsonValueKind.String => Unquote(value.GetString()!),
            JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
            _ => null,
        };
        if (message is null)
        {
            return (null, $"Data.{bindingName} is neither a string nor JSON.");
        }

        var metadata = TryGetProperty(root, "Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var dequeueCount = metadata.ValueKind == JsonValueKind.Object && TryGetProperty(metadata, "DequeueCount", out var count) ? ReadLong(count) ?? 1 : 1;
        var id = metadata.ValueKind == JsonValueKind.Object && TryGetProperty(metadata, "Id", out var idValue) && idValue.ValueKind == JsonValueKind.String
            ? Unquote(idValue.GetString()!)
            : "(no id)";
        return (new QueueInvocation(message, Math.Max(1, dequeueCount), id), null);
    }

    /// <summary>
    /// The host hands string data over JSON-serialized: a message that is itself a JSON string (or that some host
    /// versions quote a second time) arrives as <c>"\"…\""</c>. Peel such layers off; anything else is the message.
    /// </summary>
    public static string Unquote(string text)
    {
        for (var layer = 0; layer < 3; layer++)
        {
            var trimmed = text.Trim();
            if (trimmed.Length < 2 || trimmed[0] != '"' || trimmed[^1] != '"')
            {
                return text;
            }

            try
            {
                text = JsonSerializer.Deserialize<string>(trimmed) ?? text;
            }
            catch (JsonException)
            {
                return text;
            }
        }

        return text;
    }

    private static long? ReadLong(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.String when long.TryParse(Unquote(value.GetString()!), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
