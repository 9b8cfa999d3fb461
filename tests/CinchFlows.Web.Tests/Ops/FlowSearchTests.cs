using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Ops;

public sealed class FlowSearchTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Fact]
    public async Task ByCallId_FindsTheCallsFlows_AndTheEscalationItsTransferStarted()
    {
        var call = NewKey("call");
        var job = NewKey("SR");
        await StartAsync(BusinessKeys.MedicalEmergencyTransfer(call), new { callId = call, agentId = "a", customerId = "c", serviceRequestId = job });
        await StartAsync(BusinessKeys.MedicalCallback(call));
        await StartAsync(BusinessKeys.MedicalSeverityEscalation(job, call));
        await StartAsync(BusinessKeys.MedicalEmergencyTransfer(call + "-other"));

        var ids = await SearchAsync("callId", call);

        Assert.Equal(
            new[] { BusinessKeys.MedicalEmergencyTransfer(call), BusinessKeys.MedicalCallback(call), BusinessKeys.MedicalSeverityEscalation(job, call) }.Order(),
            ids.Order());
    }

    [Fact]
    public async Task ByServiceJobId_FindsItsEscalationsAndTheTransferThatStartedOne_NotALongerJobs()
    {
        var job = NewKey("JOB");
        var call = NewKey("call");
        await StartAsync(BusinessKeys.SeverityEscalation(job, "safety-risk"));
        await StartAsync(BusinessKeys.SeverityEscalation(job, "safety-risk", 2));
        await StartAsync(BusinessKeys.MedicalSeverityEscalation(job, call));
        await StartAsync(BusinessKeys.MedicalEmergencyTransfer(call));
        await StartAsync(BusinessKeys.SeverityEscalation(job + "-2", "safety-risk"));

        var ids = await SearchAsync("serviceJobId", job);

        Assert.Equal(
            new[]
            {
                BusinessKeys.SeverityEscalation(job, "safety-risk"),
                BusinessKeys.SeverityEscalation(job, "safety-risk", 2),
                BusinessKeys.MedicalSeverityEscalation(job, call),
                BusinessKeys.MedicalEmergencyTransfer(call),
            }.Order(),
            ids.Order());
    }

    [Fact]
    public async Task NothingKnown_IsAnEmptyList()
    {
        Assert.Empty(await SearchAsync("callId", NewKey("nobody")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?callId=a&serviceJobId=b")]
    [InlineData("?callId=a&callId=b")]
    [InlineData("?callId=")]
    [InlineData("?callId=has%20space")]
    [InlineData("?serviceJobId=%3Cscript%3E")]
    public async Task BadQuery_Is400WithAProblem(string query)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/flows" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(TestKeys.Supervisor, HttpStatusCode.Forbidden)]
    public async Task NeedsTheOpsKey(string? key, HttpStatusCode expected)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/flows?callId=c1", key);

        Assert.Equal(expected, response.StatusCode);
    }

    private static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    private async Task StartAsync(string instanceId, object? input = null) =>
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), input, new StartOrchestrationOptions(instanceId));

    private async Task<List<string>> SearchAsync(string field, string value)
    {
        using var response = await app.SendAsync(HttpMethod.Get, $"/api/ops/flows?{field}={value}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. list.EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()!)];
    }
}
