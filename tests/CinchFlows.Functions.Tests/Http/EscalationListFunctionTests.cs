using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Functions.Http;
using CinchFlows.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>
/// <c>GET /api/escalations</c> in the Functions app: the <c>ListEscalations</c> trigger runs the standalone host's
/// handler behind the "supervisor" policy and asks the engine for the <c>escalation-</c> id range only.
/// </summary>
public sealed class EscalationListFunctionTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ListEscalations_AsksForTheEscalationIdRange_AndAnswersTheOpenOnes_NearestDeadlineFirst()
    {
        var client = FunctionsServices.Client();
        OrchestrationQuery? asked = null;
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns<OrchestrationQuery?>(query =>
            {
                asked = query;
                return Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>(
                [
                    Escalation("escalation-J1-service-delay", "J1", "service-delay", due: Now.AddMinutes(20), acknowledgedBy: null),
                    Escalation("escalation-J2-medical-emergency", "J2", "medical-emergency", due: Now.AddMinutes(3), acknowledgedBy: null),
                    Escalation("escalation-J3-service-delay", "J3", "service-delay", due: null, acknowledgedBy: "lead-3"),
                ])));
            });
        await using var services = FunctionsServices.Build(client);

        var (status, body) = await InvokeAsync(services, client, "?status=open", FunctionsServices.SupervisorKey);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("escalation-", asked!.InstanceIdPrefix);
        Assert.True(asked.FetchInputsAndOutputs);
        var ids = body.EnumerateArray().Select(e => e.GetProperty("escalationId").GetString()).ToList();
        Assert.Equal(["escalation-J2-medical-emergency", "escalation-J1-service-delay"], ids);
        var first = body[0];
        Assert.Equal(("J2", "ClaimsSpecialist", "MedicalEmergency", "group"), (
            first.GetProperty("serviceJobId").GetString(), first.GetProperty("route").GetString(), first.GetProperty("severity").GetString(), first.GetProperty("tier").GetString()));
    }

    [Theory]
    [InlineData("?status=lost")]
    [InlineData("?top=1001")]
    public async Task ListEscalations_BadQuery_Is400(string query)
    {
        var client = FunctionsServices.Client();
        await using var services = FunctionsServices.Build(client);

        var (status, _) = await InvokeAsync(services, client, query, FunctionsServices.SupervisorKey);

        Assert.Equal(StatusCodes.Status400BadRequest, status);
    }

    private static OrchestrationMetadata Escalation(string id, string job, string reason, DateTime? due, string? acknowledgedBy)
    {
        var converter = JsonDataConverter.Default;
        var subReason = reason == "medical-emergency" ? "disclosed" : "general";
        var severity = reason == "medical-emergency" ? "MedicalEmergency" : "Normal";
        // With a DataConverter, as the client returns it for a query that fetches inputs (the Read…As methods need one).
        return new OrchestrationMetadata(FlowNames.SeverityEscalation, id)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
            CreatedAt = Now,
            LastUpdatedAt = Now,
            DataConverter = converter,
            SerializedInput = converter.Serialize(new SeverityEscalationInput(job, reason, subReason, "agent-1", ContactRole.Customer, null, null)),
            SerializedCustomStatus = converter.Serialize(new FlowStatus
            {
                Phase = acknowledgedBy is null ? "WaitingForAcknowledgement" : "Acknowledged",
                Text = "…",
                Since = Now,
                Due = due,
                Tier = "group",
                Severity = severity,
                Route = reason == "medical-emergency" ? "ClaimsSpecialist" : "CustomerServiceEscalations",
                AcknowledgedBy = acknowledgedBy,
            }),
        };
    }

    // Through RoleCheckTests' one invoker, as the worker calls the function: the request, the mock engine's client.
    private static async Task<(int Status, JsonElement Body)> InvokeAsync(IServiceProvider services, Mock<DurableTaskClient> client, string query, string key)
    {
        var function = RoleCheckTests.HttpFunctions().Single(f => f.Method.Name == nameof(SupervisorFunctions.ListEscalations));
        using var body = new MemoryStream();

        var status = await RoleCheckTests.InvokeAsync(services, function, client, request =>
        {
            request.Method = "GET";
            request.QueryString = new QueryString(query);
            request.Headers["X-Api-Key"] = key;
        }, body);

        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        return (status, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
