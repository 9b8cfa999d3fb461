namespace CinchFlows.Flows.Tests;

public sealed class BusinessKeysTests
{
    // flow ids from business keys collided: a supervisor request on call "medical-C1" took the id of call C1's medical callback.
    [Fact]
    public void NoCallIdMakesOneFlowsIdAnothers()
    {
        Assert.NotEqual(BusinessKeys.SupervisorCallback("medical-C1"), BusinessKeys.MedicalCallback("C1"));
        Assert.NotEqual(BusinessKeys.SupervisorCallback("request-r1"), BusinessKeys.ChannelCallback("r1"));
        Assert.Equal(["medical-C1", "callback-call-C1", "callback-medical-C1"], BusinessKeys.FlowsOfCall("C1"));
    }

    [Fact]
    public void EscalationIds_NumberedAndFromF1_StayApart()
    {
        Assert.Equal("escalation-J1-safety-risk", BusinessKeys.SeverityEscalation("J1", "safety-risk", 1));
        Assert.Equal("escalation-J1-safety-risk-2", BusinessKeys.SeverityEscalation("J1", "safety-risk", 2));
        Assert.Equal("escalation-J1-medical-emergency@call-1", BusinessKeys.MedicalSeverityEscalation("J1", "call-1"));
        Assert.StartsWith(BusinessKeys.SeverityEscalationPrefix("J1"), BusinessKeys.MedicalSeverityEscalation("J1", "call-1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cust 12 - caller says she is having a stroke", false)]
    [InlineData("", false)]
    [InlineData("cust-12_a.b:c@d", true)]
    public void OnlyKeysThatFitAnInstanceId_AreValid(string key, bool valid)
    {
        Assert.Equal(valid, BusinessKeys.IsValid(key));
        if (!valid)
        {
            Assert.Throws<FlowInputException>(() => BusinessKeys.Validate(key, "customerId"));
        }
    }
}
