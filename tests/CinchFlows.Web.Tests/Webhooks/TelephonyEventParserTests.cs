using System.Text;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

public sealed class TelephonyEventParserTests
{
    [Fact]
    public void Parse_KnownEvent_GivesTheTypedRecordAndTheCloudEventId()
    {
        var parsed = Parse(WebhookRequests.Event(TelephonyEventTypes.TransferConnected, new { callId = "c-1", targetExtension = "69187" }, id: "evt-1"));

        Assert.Equal(new TelephonyEvent("evt-1", TelephonyEventTypes.TransferConnected, new TransferConnected("c-1", "69187")), parsed);
    }

    [Fact]
    public void Parse_NullOptionalFields_AreAbsent()
    {
        var parsed = Parse(WebhookRequests.Event(TelephonyEventTypes.EscalationRaised, new
        {
            serviceJobId = "j",
            reason = "r",
            subReason = "s",
            raisedBy = "b",
            contactRole = "media",
            severity = (string?)null,
            provider = (object?)null,
        }));

        Assert.Equal(new EscalationRaised("j", "r", "s", "b", ContactRole.Media, null, null), parsed.Data);
    }

    [Fact]
    public void Parse_BlankServiceRequestId_MeansScenario1()
    {
        var parsed = Parse(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "c", agentId = "a", customerId = "u", serviceRequestId = "" }));

        Assert.Null(((MedicalEmergencyFlagged)parsed.Data).ServiceRequestId);
    }

    [Fact]
    public void Parse_UnknownFieldsOnOtherEvents_AreDropped()
    {
        var parsed = Parse(WebhookRequests.Event(TelephonyEventTypes.CallEnded, new { callId = "c", notes = "anything", extra = new { nested = 1 } }));

        Assert.Equal(new CallEnded("c"), parsed.Data);
    }

    [Fact]
    public void Parse_UnknownExtensionAttributesOnOtherEvents_AreIgnored()
    {
        var parsed = Parse(WebhookRequests.Event(TelephonyEventTypes.CallEnded, new { callId = "c" }, extra: new Dictionary<string, object?> { ["notes"] = "x", ["traceparent"] = "00-abc" }));

        Assert.Equal(new CallEnded("c"), parsed.Data);
    }

    [Fact]
    public void Parse_MedicalEmergencyWithAnUnlistedField_NamesIt()
    {
        var error = Refuse(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "c", agentId = "a", customerId = "u", mood = "calm" }));

        Assert.Contains("'data.mood'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("calm", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MedicalEmergencyWithAListedField_SaysItCouldHoldDetails()
    {
        var error = Refuse(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "c", agentId = "a", customerId = "u", diagnosis = "flu" }));

        Assert.Contains("'data.diagnosis'", error, StringComparison.Ordinal);
        Assert.Contains("medical condition", error, StringComparison.Ordinal);
        Assert.DoesNotContain("flu", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MedicalEmergencyFieldNameThatIsNotAnIdentifier_IsNotEchoed()
    {
        var data = new Dictionary<string, object?> { ["callId"] = "c", ["agentId"] = "a", ["customerId"] = "u", ["has asthma"] = true };

        var error = Refuse(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, data));

        Assert.DoesNotContain("asthma", error, StringComparison.Ordinal);
        Assert.StartsWith("A field of 'data'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MedicalEmergencyRefusal_ComesBeforeOtherErrors()
    {
        var error = Refuse(WebhookRequests.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "c", agentId = "a", customerId = "u", notes = "x", serviceRequestId = 7 }));

        Assert.Contains("'data.notes'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customer", ContactRole.Customer)]
    [InlineData("serviceProfessional", ContactRole.ServiceProfessional)]
    [InlineData("attorney", ContactRole.Attorney)]
    [InlineData("media", ContactRole.Media)]
    public void Parse_ContactRoles(string written, ContactRole expected)
    {
        var parsed = Parse(WebhookRequests.Event(TelephonyEventTypes.EscalationRaised, new { serviceJobId = "j", reason = "r", subReason = "s", raisedBy = "b", contactRole = written }));

        Assert.Equal(expected, ((EscalationRaised)parsed.Data).ContactRole);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Customer, Media")]
    [InlineData("lawyer")]
    public void Parse_ContactRoleThatIsNotAName_IsRefused(string written)
    {
        var error = Refuse(WebhookRequests.Event(TelephonyEventTypes.EscalationRaised, new { serviceJobId = "j", reason = "r", subReason = "s", raisedBy = "b", contactRole = written }));

        Assert.Contains("'data.contactRole' must be one of customer, serviceProfessional, attorney, media", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StringOverTheLimit_IsRefusedWithoutEchoingIt()
    {
        var error = Refuse(WebhookRequests.Event(TelephonyEventTypes.CallEnded, new { callId = new string('z', JsonFieldReader.MaxStringLength + 1) }));

        Assert.Contains("'data.callId' must be at most 256 characters", error, StringComparison.Ordinal);
        Assert.DoesNotContain("zzz", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_GivesThePositionOnly()
    {
        var error = Refuse("{\"specversion\":\"1.0\",\"data\":{\"notes\":\"SECRET\" oops}}");

        Assert.DoesNotContain("SECRET", error, StringComparison.Ordinal);
        Assert.Contains("line 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongUnknownType_IsTruncatedInTheMessage()
    {
        var error = Refuse(WebhookRequests.Event("com.example." + new string('t', 1000), new { callId = "c" }));

        Assert.True(error.Length < 900, error);
    }

    private static TelephonyEvent Parse(string body) => TelephonyEventParser.Parse(Encoding.UTF8.GetBytes(body));

    private static string Refuse(string body) => Assert.Throws<TelephonyEventException>(() => Parse(body)).Message;
}
