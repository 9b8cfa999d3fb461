using CinchFlows.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Moq;

namespace CinchFlows.Functions.Tests.Http;

/// <summary>HTTP functions answer with the standalone host's headers: Cache-Control no-store and nosniff.</summary>
public sealed class ApiResponseHeadersMiddlewareTests
{
    [Fact]
    public async Task An_http_function_answer_is_no_store_and_nosniff()
    {
        var (http, response, context) = HttpFunction();

        await new ApiResponseHeadersMiddleware().Invoke(context, _ => Task.CompletedTask);
        await response.StartAsync();

        Assert.Equal("no-store", http.Response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task A_function_that_sets_its_own_caching_keeps_it_and_still_gets_nosniff()
    {
        var (http, response, context) = HttpFunction();

        await new ApiResponseHeadersMiddleware().Invoke(context, _ =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Task.CompletedTask;
        });
        await response.StartAsync();

        Assert.Equal("no-cache", http.Response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
    }

    private static (DefaultHttpContext Http, StartableResponse Response, FunctionContext Context) HttpFunction()
    {
        var response = new StartableResponse();
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpResponseFeature>(response);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        return (http, response, context.Object);
    }

    /// <summary>A response feature that runs its OnStarting callbacks when told, as the server does on the first write.</summary>
    private sealed class StartableResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => starting.Add((callback, state));

        public async Task StartAsync()
        {
            foreach (var (callback, state) in Enumerable.Reverse(starting))
            {
                await callback(state);
            }
        }
    }
}
