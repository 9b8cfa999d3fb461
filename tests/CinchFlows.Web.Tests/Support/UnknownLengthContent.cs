using System.Net;

namespace CinchFlows.Web.Tests.Support;

/// <summary>A body sent chunked, without Content-Length, so the server must count what it reads.</summary>
internal sealed class UnknownLengthContent(byte[] body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
