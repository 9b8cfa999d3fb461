using Azure;
using CinchFlows.Functions.Http;

namespace CinchFlows.Functions.Tests.Http;

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
}
