using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Functions.Http;
using CinchFlows.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>An exception escaping an HTTP function is answered as the standalone host's exception handler answers it.</summary>
public sealed class ProblemDetailsMiddlewareTests
{
    [Fact]
    public async Task A_flow_not_started_yet_is_a_503_problem_with_Retry_After()
    {
        await using var services = FunctionsServices.Build(FunctionsServices.Client());
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("RaiseEvent");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);

        await new ProblemDetailsMiddleware().Invoke(context.Object, _ => throw new FlowStartingException("The flow has not started yet."));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var problem = JsonNode.Parse(http.Response.Body)!;
        Assert.Equal(503, problem["status"]!.GetValue<int>());
        Assert.Equal("The flow has not started yet.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_triggers_exceptions_go_on_to_the_host_which_retries()
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => new ProblemDetailsMiddleware().Invoke(context.Object, _ => throw new InvalidOperationException("queue")));
    }
}
