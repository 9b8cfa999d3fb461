using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace CinchFlows.Web.Http;

/// <summary>Reads a request body as JSON, bounded in size: too large gives 413, malformed gives 400, never 500.</summary>
internal static class JsonBodyReader
{
    /// <summary>Largest body accepted on the API's routes (docs/api.md: 64 KiB).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Deepest JSON nesting accepted: flows need a few levels; the responses that echo a body add a few more.</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads the whole body; an empty or whitespace body gives a null value.</summary>
    public static async Task<JsonBodyResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            return new JsonBodyResult(null, ApiProblems.TooLarge(MaxBodyBytes));
        }

        // Let Kestrel stop reading early too; the count below covers servers that ignore it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        }

        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > MaxBodyBytes)
                {
                    return new JsonBodyResult(null, ApiProblems.TooLarge(MaxBodyBytes));
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new JsonBodyResult(null, ApiProblems.TooLarge(MaxBodyBytes));
        }

        return Parse(buffer.WrittenMemory);
    }

    /// <summary>Parses <paramref name="body"/>; empty or whitespace gives a null value.</summary>
    public static JsonBodyResult Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new JsonBodyResult(null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return new JsonBodyResult(document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return new JsonBodyResult(null, ApiProblems.BadRequest($"The request body is not valid JSON: {ex.Message}"));
        }
    }
}
