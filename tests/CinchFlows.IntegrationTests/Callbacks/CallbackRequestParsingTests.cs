using System.Text;
using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Callbacks;

namespace CinchFlows.IntegrationTests.Callbacks;

/// <summary>Reading a callback-request message (no storage needed): Base64 or plain JSON, strict fields, clear reasons.</summary>
public sealed class CallbackRequestParsingTests
{
    [Theory]
    [InlineData("""{"requestId":"r-1","customerId":"c-1","channel":"web","callId":"call-1"}""")]
    [InlineData("""  {"requestId":"r-1","customerId":"c-1","channel":"web","callId":"call-1","extra":{"a":1}}  """)]
    public void Parse_PlainJson(string text) =>
        Assert.Equal(new CallbackRequest("r-1", "c-1", "web", "call-1"), CallbackRequestHandler.Parse(text));

    [Fact]
    public void Parse_WithAByteOrderMark_PlainOrBase64()
    {
        const string json = """{"requestId":"r-3","customerId":"c-3","channel":"email","callId":null}""";
        var expected = new CallbackRequest("r-3", "c-3", "email", null);

        Assert.Equal(expected, CallbackRequestHandler.Parse("\uFEFF" + json));
        Assert.Equal(expected, CallbackRequestHandler.Parse(Convert.ToBase64String([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)])));
    }

    [Fact]
    public void Parse_Base64Json() =>
        Assert.Equal(
            new CallbackRequest("r-2", "c-2", "chat", null),
            CallbackRequestHandler.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"requestId":"r-2","customerId":"c-2","channel":"chat","callId":null}"""))));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("%%%", "neither JSON nor Base64")]
    [InlineData("/w==", "neither JSON nor Base64")]
    [InlineData("{\"requestId\":\"r\",\"customerId\":\"c\"}", "'channel' is required")]
    [InlineData("{\"requestId\":\"r\",\"customerId\":\"c\",\"channel\":\" \"}", "'channel' is required")]
    [InlineData("{\"requestId\":true,\"customerId\":\"c\",\"channel\":\"web\"}", "'requestId' must be a string")]
    [InlineData("{\"requestId\":\"r\",\"requestId\":\"s\",\"customerId\":\"c\",\"channel\":\"web\"}", "not valid JSON")]
    [InlineData("null", "neither JSON nor Base64")]
    [InlineData("[null]", "must be a JSON object")]
    public void Parse_Malformed_ThrowsFlowInputException(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<FlowInputException>(() => CallbackRequestHandler.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_DeepJson_ThrowsFlowInputException() =>
        Assert.Throws<FlowInputException>(() => CallbackRequestHandler.Parse("{\"a\":" + new string('[', 100) + new string(']', 100) + "}"));

    [Fact]
    public void Options_Defaults_AreValid()
    {
        var options = new CallbackRequestOptions();

        Assert.True(new CallbackRequestOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("callback-requests", options.QueueName);
        Assert.Equal("callback-requests-poison", options.PoisonQueueName);
        Assert.Equal(5, options.MaxDequeueCount);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Callback-Requests")]
    [InlineData("-callbacks")]
    [InlineData("callbacks-")]
    [InlineData("call--backs")]
    [InlineData("call_backs")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567")]
    public void Options_BadQueueName_Fails(string name) =>
        Assert.False(new CallbackRequestOptionsValidator().Validate(null, new CallbackRequestOptions { QueueName = name }).Succeeded);

    [Fact]
    public void Options_BadNumbers_Fail()
    {
        var result = new CallbackRequestOptionsValidator().Validate(null, new CallbackRequestOptions
        {
            MaxDequeueCount = 0,
            BatchSize = 33,
            VisibilityTimeout = TimeSpan.Zero,
            MinPollingInterval = TimeSpan.FromSeconds(10),
            MaxPollingInterval = TimeSpan.FromSeconds(1),
        });

        Assert.False(result.Succeeded);
        Assert.Equal(4, result.Failures!.Count());
    }
}
