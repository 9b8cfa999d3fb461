using Azure.Core;
using Azure.Core.Pipeline;
using CinchFlows.Durable.Storage.Azure;
using CinchFlows.Durable.Tests.Support;

namespace CinchFlows.Durable.Tests;

public sealed class StorageAdmissionTests
{
    [Fact]
    public async Task Background_requests_wait_for_a_slot_while_a_callers_request_goes_straight_through()
    {
        using var storage = new HeldStorage();
        var pipeline = HttpPipelineBuilder.Build(new TestClientOptions(storage), StorageAdmission.Policy);
        var gate = new StorageAdmission(2);

        Task[] background;
        using (gate.EnterBackground())
        {
            // Tasks started inside the scope inherit the mark, as the worker's steps and activities do.
            background = [.. Enumerable.Range(0, 5).Select(_ => Task.Run(() => SendAsync(pipeline)))];
        }

        await Waiting.UntilAsync(() => storage.InFlight == 2, "two background requests at storage");
        var caller = SendAsync(pipeline);
        await Waiting.UntilAsync(() => storage.InFlight == 3, "the caller's request at storage beside them");

        storage.Answer.SetResult();
        await Task.WhenAll([.. background, caller]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(6, storage.Requests);
        Assert.Equal(3, storage.MaxInFlight);
    }

    private static async Task SendAsync(HttpPipeline pipeline)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri("http://127.0.0.1/devstoreaccount1/Tables"));
        await pipeline.SendAsync(message, CancellationToken.None);
    }

    private sealed class TestClientOptions : ClientOptions
    {
        public TestClientOptions(HttpMessageHandler handler)
        {
            Transport = new HttpClientTransport(handler);
            Retry.MaxRetries = 0;
        }
    }

    /// <summary>Storage that holds every request until <see cref="Answer"/> is set, counting how many wait at once.</summary>
    private sealed class HeldStorage : HttpMessageHandler
    {
        private int inFlight;
        private int maxInFlight;
        private int requests;

        public TaskCompletionSource Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int InFlight => Volatile.Read(ref inFlight);

        public int MaxInFlight => Volatile.Read(ref maxInFlight);

        public int Requests => Volatile.Read(ref requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            var now = Interlocked.Increment(ref inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref maxInFlight)) && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
            {
            }

            await Answer.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref inFlight);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
