using System.Net;
using CinchFlows.Flows;
using CinchFlows.Web.Http;
using CinchFlows.Web.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Web.Tests.Http;

/// <summary>What the standalone host's exception handler logs: a fault as an error, "not started yet" not at all (it is answered 503).</summary>
public sealed class ApiErrorLoggingTests
{
    [Fact]
    public async Task A_flow_not_started_yet_is_answered_503_without_an_error_log()
    {
        var (status, logs) = await AnswerAsync(new FlowStartingException("Flow 'x' has not started yet; send it again shortly."));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fault_is_answered_500_and_logged_as_an_error()
    {
        var (status, logs) = await AnswerAsync(new InvalidOperationException("bug"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("InvalidOperationException: bug", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, WebhookLogRecorder Logs)> AnswerAsync(Exception thrown)
    {
        var logs = new WebhookLogRecorder();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddApiErrorHandling();
        await using var app = builder.Build();
        app.UseApiErrorHandling();
        app.MapGet("/throws", IResult () => throw thrown);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await client.GetAsync(new Uri("/throws", UriKind.Relative));

        await app.StopAsync();
        return (response.StatusCode, logs);
    }
}
