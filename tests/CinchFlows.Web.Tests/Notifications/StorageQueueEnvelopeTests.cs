using System.Text;
using System.Text.Json;
using CinchFlows.Flows.Notifications;
using CinchFlows.Web.Notifications;

namespace CinchFlows.Web.Tests.Notifications;

public sealed class StorageQueueEnvelopeTests
{
    [Fact]
    public void Encode_IsBase64OfTheEnvelope()
    {
        var text = StorageQueueEnvelope.Encode(TestNotifications.Create(messageId: "m-42", subject: "callback.created"));

        var envelope = JsonDocument.Parse(Convert.FromBase64String(text)).RootElement;
        Assert.Equal("m-42", envelope.GetProperty("messageId").GetString());
        Assert.Equal("callback.created", envelope.GetProperty("subject").GetString());
        Assert.Equal("flow-1", envelope.GetProperty("properties").GetProperty("flowId").GetString());
        Assert.Equal("high", envelope.GetProperty("properties").GetProperty("severity").GetString());
        Assert.Equal("call-7", envelope.GetProperty("body").GetProperty("callId").GetString());
        Assert.Equal(1, envelope.GetProperty("body").GetProperty("attempt").GetInt32());
    }

    [Fact]
    public void Json_HasExactlyTheFourEnvelopeFields()
    {
        var envelope = JsonDocument.Parse(StorageQueueEnvelope.Json(TestNotifications.Create())).RootElement;

        Assert.Equal(["messageId", "subject", "correlationId", "contentType", "properties", "body"], envelope.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("flow-1", "application/json"), (envelope.GetProperty("correlationId").GetString(), envelope.GetProperty("contentType").GetString()));
    }

    [Fact]
    public void Encode_TooLargeForAStorageQueue_SaysSo()
    {
        var body = JsonSerializer.Serialize(new { note = new string('x', 50_000) });

        var error = Assert.Throws<NotificationUndeliverableException>(() => StorageQueueEnvelope.Encode(TestNotifications.Create(body: body)));

        Assert.Contains("at most 65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_IsUtf8() =>
        Assert.Contains("Ünïcode", Encoding.UTF8.GetString(StorageQueueEnvelope.Json(TestNotifications.Create(body: """{"note":"Ünïcode"}"""))), StringComparison.Ordinal);

    [Theory]
    [InlineData("agent-prompts", true)]
    [InlineData("t0a1-ops-alerts", true)]
    [InlineData("abc", true)]
    [InlineData("ab", false)]
    [InlineData("Agent-prompts", false)]
    [InlineData("-agent", false)]
    [InlineData("agent-", false)]
    [InlineData("agent--prompts", false)]
    [InlineData("agent_prompts", false)]
    [InlineData("agent.prompts", false)]
    public void IsValidQueueName_FollowsTheStorageRules(string name, bool valid) =>
        Assert.Equal(valid, StorageQueueNotificationPublisher.IsValidQueueName(name));

    [Fact]
    public void IsValidQueueName_LengthLimitIs63() =>
        Assert.Equal((true, false), (StorageQueueNotificationPublisher.IsValidQueueName(new string('a', 63)), StorageQueueNotificationPublisher.IsValidQueueName(new string('a', 64))));
}
