using CinchFlows.Web.Management;
using Microsoft.AspNetCore.Http;

namespace CinchFlows.Web.Tests.Management;

public sealed class ManagementUrisTests
{
    [Fact]
    public void Payload_FromRequest_HasAbsoluteUrisOnTheRequestsHost()
    {
        var payload = ManagementUris.Payload(Request("https", "flows.example.com:8443", string.Empty), "call-17");

        Assert.Equal("call-17", payload.Id);
        Assert.Equal("https://flows.example.com:8443/api/instances/call-17", payload.StatusQueryGetUri);
        Assert.Equal("https://flows.example.com:8443/api/instances/call-17/raiseEvent/{eventName}", payload.SendEventPostUri);
        Assert.Equal("https://flows.example.com:8443/api/instances/call-17/terminate?reason={text}", payload.TerminatePostUri);
        Assert.Equal("https://flows.example.com:8443/api/instances/call-17/suspend?reason={text}", payload.SuspendPostUri);
        Assert.Equal("https://flows.example.com:8443/api/instances/call-17/resume?reason={text}", payload.ResumePostUri);
        Assert.Equal("https://flows.example.com:8443/api/instances/call-17", payload.PurgeHistoryDeleteUri);
    }

    [Fact]
    public void Status_WithPathBaseAndReservedCharacters_KeepsThePathBaseAndEscapesTheId() =>
        Assert.Equal(
            "http://127.0.0.1:7071/flows/api/instances/job%3A42%40east",
            ManagementUris.Status(Request("http", "127.0.0.1:7071", "/flows"), "job:42@east"));

    private static HttpRequest Request(string scheme, string host, string pathBase)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.PathBase = pathBase;
        return context.Request;
    }
}
