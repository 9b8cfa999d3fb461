using System.Text;
using System.Text.Json;
using Amqp.Framing;
using CinchFlows.Flows.Notifications;
using CinchFlows.Functions.Notifications;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class AmqpNotificationMessageTests
{
    [Fact]
    public void Create_CarriesMessageIdSubjectContentTypeAndDurability()
    {
        var message = AmqpNotificationMessage.Create(TestNotifications.Create(messageId: "flow-9:escalation:2", subject: "escalation.raised"));

        Assert.Equal("flow-9:escalation:2", message.Properties.MessageId);
        Assert.Equal("escalation.raised", message.Properties.Subject);
        Assert.Equal("application/json", (string)message.Properties.ContentType);
        Assert.True(message.Header.Durable);
    }

    [Fact]
    public void Create_CopiesEveryPropertyAsAStringApplicationProperty()
    {
        var message = AmqpNotificationMessage.Create(TestNotifications.Create());

        Assert.Equal(3, message.ApplicationProperties.Map.Count);
        Assert.Equal("flow-1", message.ApplicationProperties["flowId"]);
        Assert.Equal("call-7", message.ApplicationProperties["callId"]);
        Assert.Equal("high", message.ApplicationProperties["severity"]);
    }

    [Fact]
    public void Create_BodyIsOneDataSectionOfUtf8Json()
    {
        const string body = """{"note":"Ünïcode ✓","n":1}""";

        var message = AmqpNotificationMessage.Create(TestNotifications.Create(body: body));

        var data = Assert.IsType<Data>(message.BodySection);
        Assert.Equal(Encoding.UTF8.GetBytes(body), data.Binary);
    }

    [Fact]
    public void Create_RoundTripsThroughTheWireEncoding()
    {
        var encoded = AmqpNotificationMessage.Create(TestNotifications.Create()).Encode();

        var decoded = Amqp.Message.Decode(encoded);

        Assert.Equal("flow-1:handoff-note:1", decoded.Properties.MessageId);
        Assert.Equal("high", decoded.ApplicationProperties["severity"]);
        var json = JsonDocument.Parse((byte[])decoded.Body).RootElement;
        Assert.Equal("call-7", json.GetProperty("callId").GetString());
    }

    [Fact]
    public void Create_NotificationWithoutBody_Throws() =>
        Assert.Throws<ArgumentException>(() => AmqpNotificationMessage.Create(
            new Notification(NotificationTopic.OpsAlerts, "m-1", "ops.alert", new Dictionary<string, string>(), default)));
}
