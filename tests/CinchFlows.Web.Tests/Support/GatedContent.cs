using System.Net;

namespace CinchFlows.Web.Tests.Support;

/// <summary>
/// A body whose bytes are held back until the gate opens: each request's headers reach the server first (and
/// <paramref name="waiting"/> is signalled), so several requests can be released onto the server at the same moment.
/// </summary>
internal sealed class GatedContent : HttpContent
{
    private readonly byte[] body;
    private readonly Task gate;
    private readonly CountdownSignal waiting;

    /// <param name="body">The JSON body, sent once the gate opens.</param>
    /// <param name="gate">Completes when the body may go.</param>
    /// <param name="waiting">Signalled when the request is waiting at the gate.</param>
    public GatedContent(byte[] body, Task gate, CountdownSignal waiting)
    {
        this.body = body;
        this.gate = gate;
        this.waiting = waiting;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        waiting.Signal();
        await gate;
        await stream.WriteAsync(body);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
