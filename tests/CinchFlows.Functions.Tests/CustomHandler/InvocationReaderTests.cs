using System.Text.Json;
using CinchFlows.Functions.CustomHandler;

namespace CinchFlows.Functions.Tests.CustomHandler;

public sealed class InvocationReaderTests
{
    [Theory]
    [InlineData("""{"Data":{"message":"{\"a\":1}"},"Metadata":{"DequeueCount":3,"Id":"m-1"}}""", """{"a":1}""", 3)]
    [InlineData("""{"Data":{"message":"\"{\\\"a\\\":1}\""},"Metadata":{"DequeueCount":"2","Id":"\"m-1\""}}""", """{"a":1}""", 2)]
    [InlineData("""{"Data":{"message":{"a":1}},"Metadata":{}}""", """{"a":1}""", 1)]
    [InlineData("""{"data":{"Message":"plain text"}}""", "plain text", 1)]
    public void The_message_and_dequeue_count_are_read_however_the_host_quotes_them(string payload, string message, long dequeueCount)
    {
        using var document = JsonDocument.Parse(payload);

        var (invocation, error) = InvocationReader.ReadQueue(document.RootElement, "message");

        Assert.Null(error);
        Assert.Equal(message, invocation!.Message);
        Assert.Equal(dequeueCount, invocation.DequeueCount);
    }

    [Theory]
    [InlineData("""{"Metadata":{}}""")]
    [InlineData("""{"Data":{"other":"x"}}""")]
    [InlineData("""{"Data":{"message":42}}""")]
    public void A_payload_without_the_message_is_refused_with_the_reason(string payload)
    {
        using var document = JsonDocument.Parse(payload);

        var (invocation, error) = InvocationReader.ReadQueue(document.RootElement, "message");

        Assert.Null(invocation);
        Assert.Contains("message", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\\"x\\\"\"", "x")]
    [InlineData("\"x\"", "x")]
    [InlineData("\"unterminated", "\"unterminated")]
    [InlineData("{}", "{}")]
    public void Unquote_peels_JSON_string_layers_only(string text, string expected) =>
        Assert.Equal(expected, InvocationReader.Unquote(text));
}
