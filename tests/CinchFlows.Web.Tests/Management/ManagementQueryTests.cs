using CinchFlows.Web.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Primitives;

namespace CinchFlows.Web.Tests.Management;

public sealed class ManagementQueryTests
{
    [Fact]
    public void TryParseList_NoParameters_ListsEverythingInPagesOf100()
    {
        Assert.True(ManagementQuery.TryParseList(Query(string.Empty), StringValues.Empty, out var request, out _));

        Assert.Null(request!.Query.Statuses);
        Assert.Null(request.Query.CreatedFrom);
        Assert.Null(request.Query.CreatedTo);
        Assert.Null(request.Query.InstanceIdPrefix);
        Assert.Equal(100, request.Query.PageSize);
        Assert.True(request.ShowInput);
        Assert.Null(request.ContinuationToken);
    }

    [Fact]
    public void TryParseList_AllParameters_AreRead()
    {
        Assert.True(ManagementQuery.TryParseList(
            Query("?runtimeStatus=Running,pending&createdTimeFrom=2025-01-31T09:00:00Z&createdTimeTo=2025-02-01T10:30:00%2B01:00&instanceIdPrefix=call-&top=2&showInput=false"),
            new StringValues("token-1"),
            out var request,
            out _));

        // Each status once, in the SDK enum's order (Running comes before Pending there).
        Assert.Equal([OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending], request!.Query.Statuses);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 9, 0, 0, TimeSpan.Zero), request.Query.CreatedFrom);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 9, 30, 0, TimeSpan.Zero), request.Query.CreatedTo);
        Assert.Equal("call-", request.Query.InstanceIdPrefix);
        Assert.Equal(2, request.Query.PageSize);
        Assert.False(request.ShowInput);
        Assert.Equal("token-1", request.ContinuationToken);
    }

    [Theory]
    [InlineData("runtimeStatus=Running&runtimeStatus=Failed")]
    [InlineData("runtimeStatus=running, failed")]
    [InlineData("runtimeStatus=Failed,Running,Failed")]
    public void TryParseStatuses_ListOrRepeated_AreCombined(string query)
    {
        Assert.True(ManagementQuery.TryParseStatuses(Query("?" + query)["runtimeStatus"], out var statuses, out _));

        Assert.Equal([OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Failed], statuses);
    }

    [Theory]
    [InlineData("runtimeStatus=Runing")]
    [InlineData("runtimeStatus=1")]
    [InlineData("runtimeStatus=Running,Done")]
    [InlineData("createdTimeFrom=yesterday")]
    [InlineData("createdTimeTo=2025-13-01")]
    [InlineData("createdTimeFrom=2025-02-01T00:00:00Z&createdTimeTo=2025-01-01T00:00:00Z")]
    [InlineData("top=0")]
    [InlineData("top=-5")]
    [InlineData("top=ten")]
    [InlineData("top=2.5")]
    [InlineData("showInput=maybe")]
    [InlineData("instanceIdPrefix=a'or'1")]
    public void TryParseList_BadValue_IsAnErrorNamingTheParameter(string query)
    {
        Assert.False(ManagementQuery.TryParseList(Query("?" + query), StringValues.Empty, out var request, out var error));

        Assert.Null(request);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1000", 1000)]
    [InlineData("1001", 1000)]
    [InlineData("99999999999999", 1000)]
    [InlineData("", 100)]
    public void TryParseTop_InRangeOrAbove_IsCutToTheMaximum(string raw, int expected)
    {
        Assert.True(ManagementQuery.TryParseTop(new StringValues(raw), out var top, out _));

        Assert.Equal(expected, top);
    }

    [Fact]
    public void TryParseTime_NoOffset_IsUtc()
    {
        Assert.True(ManagementQuery.TryParseTime(Query("?t=2025-01-31T09:00:00"), "t", out var time, out _));

        Assert.Equal(new DateTimeOffset(2025, 1, 31, 9, 0, 0, TimeSpan.Zero), time);
    }

    [Theory]
    [InlineData("", false, false)]
    [InlineData("?showHistory=true", false, true)]
    [InlineData("?showHistory=False", true, false)]
    public void TryParseFlag_ValueOrDefault(string query, bool defaultValue, bool expected)
    {
        Assert.True(ManagementQuery.TryParseFlag(Query(query), "showHistory", defaultValue, out var value, out _));

        Assert.Equal(expected, value);
    }

    private static QueryCollection Query(string query) => new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));
}
