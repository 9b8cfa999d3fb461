using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Functions.Http;
using CinchFlows.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>An exception escaping an HTTP function is answered as the standalone host's exception handler answers it.</summary>
public sealed class ProblemDetailsMiddlewareTests
{
    [Fact]
    public async Task A_flow_not_started_yet_is_a_503_problem_with_Retry_After_logged_as_one_line_not_an_error()
    {
        var logs = new LogLines();
        var (http, context) = HttpFunction(logs);

        await new ProblemDetailsMiddleware().Invoke(context, _ => throw new FlowStartingException("The flow has not started yet."));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var problem = JsonNode.Parse(http.Response.Body)!;
        Assert.Equal(503, problem["status"]!.GetValue<int>());
        Assert.Equal("The flow has not started yet.", problem["detail"]!.GetValue<string>());
        var line = Assert.Single(logs.Of("CinchFlows.Functions.Http"));
        Assert.Equal((LogLevel.Information, 2902, false), (line.Level, line.EventId, line.HasException));
    }

    [Fact]
    public async Task A_fault_is_a_500_problem_logged_as_an_error_with_its_exception()
    {
        var logs = new LogLines();
        var (http, context) = HttpFunction(logs);

        await new ProblemDetailsMiddleware().Invoke(context, _ => throw new InvalidOperationException("bug"));

        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        var line = Assert.Single(logs.Of("CinchFlows.Functions.Http"));
        Assert.Equal((LogLevel.Error, 2901, true), (line.Level, line.EventId, line.HasException));
    }

    [Fact]
    public async Task Other_triggers_exceptions_go_on_to_the_host_which_retries()
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => new ProblemDetailsMiddleware().Invoke(context.Object, _ => throw new InvalidOperationException("queue")));
    }

    private static (DefaultHttpContext Http, FunctionContext Context) HttpFunction(LogLines logs)
    {
        var services = FunctionsServices.Build(FunctionsServices.Client(), replace: s => s.AddSingleton<ILoggerProvider>(logs));
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("RaiseEvent");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        return (http, context.Object);
    }

    /// <summary>Every log line written, by category.</summary>
    private sealed class LogLines : ILoggerProvider
    {
        private readonly List<(string Category, LogLevel Level, int EventId, bool HasException)> lines = [];

        public IEnumerable<(LogLevel Level, int EventId, bool HasException)> Of(string category)
        {
            lock (lines)
            {
                return [.. lines.Where(l => l.Category == category).Select(l => (l.Level, l.EventId, l.HasException))];
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogLines owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.lines)
                {
                    owner.lines.Add((category, logLevel, eventId.Id, exception is not null));
                }
            }
        }
    }
}
