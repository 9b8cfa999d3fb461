using System.Net;
using System.Net.Http.Headers;

namespace CinchFlows.Web.Tests.Telephony;

/// <summary>Stands in for the telephony platform: records each request (headers and body) and answers as told.</summary>
internal sealed class StubCommandsHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond;
    private readonly List<RecordedRequest> requests = [];
    private readonly TaskCompletionSource firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StubCommandsHandler(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond) => this.respond = respond;

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static StubCommandsHandler Answering(HttpStatusCode status, string body = "") =>
        new((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) }));

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Completes when the first request has arrived.</summary>
    public Task FirstRequest => firstRequest.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType,
            body);
        lock (requests)
        {
            requests.Add(recorded);
        }

        firstRequest.TrySetResult();
        return await respond(recorded, cancellationToken);
    }

    /// <summary>One request as the platform saw it.</summary>
    internal sealed record RecordedRequest(
        HttpMethod Method,
        Uri Uri,
        IReadOnlyDictionary<string, string> Headers,
        MediaTypeHeaderValue? ContentType,
        byte[] Body);
}
