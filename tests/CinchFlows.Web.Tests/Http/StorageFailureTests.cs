using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using CinchFlows.Web.Http;

namespace CinchFlows.Web.Tests.Http;

public sealed class StorageFailureTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void IsUnavailable_NoAnswerOrServerError_IsTrue(int status) =>
        Assert.True(StorageFailure.IsUnavailable(new RequestFailedException(status, "storage")));

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    public void IsUnavailable_ClientError_IsFalse(int status) =>
        Assert.False(StorageFailure.IsUnavailable(new RequestFailedException(status, "storage")));

    [Fact]
    public void IsUnavailable_RetriesGivenUp_LooksInsideTheAggregate() =>
        Assert.True(StorageFailure.IsUnavailable(new AggregateException(new RequestFailedException(0, "refused"), new RequestFailedException(0, "refused"))));

    [Fact]
    public void IsUnavailable_Wrapped_LooksAtInnerExceptions() =>
        Assert.True(StorageFailure.IsUnavailable(new InvalidOperationException("store", new RequestFailedException(503, "busy"))));

    [Fact]
    public void IsUnavailable_OtherFailure_IsFalse() =>
        Assert.False(StorageFailure.IsUnavailable(new InvalidOperationException("bug")));

    [Fact]
    public void IsUnavailable_CallersOwnCancellation_IsFalse() =>
        Assert.False(StorageFailure.IsUnavailable(new OperationCanceledException()));

    [Fact]
    public async Task IsUnavailable_StorageThatNeverAnswers_IsTrueForWhatTheSdkThrows()
    {
        // An overloaded Azurite accepted connections and answered nothing: the SDK's timeouts then reached the webhook as
        // a 500 (issue 7's benchmark). Take the exception from the real SDK against a listener that stays silent.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await listener.AcceptSocketAsync());
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        var table = new TableClient(
            new Uri($"http://127.0.0.1:{port}/devstoreaccount1"),
            "receipts",
            new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])),
            options);

        var thrown = await Record.ExceptionAsync(() => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));

        Assert.NotNull(thrown);
        Assert.True(StorageFailure.IsUnavailable(thrown), $"not seen as unavailable: {thrown}");
        listener.Stop();
        held.ForEach(socket => socket.Dispose());
        _ = accepting.Exception;
    }
}
