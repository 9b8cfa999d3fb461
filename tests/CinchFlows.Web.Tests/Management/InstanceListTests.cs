using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Web.Management;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Management;

/// <summary><c>GET /api/instances</c> through the real app: newest first across pages, an opaque cursor, and 400 for a token it never gave out.</summary>
public sealed class InstanceListTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Fact]
    public async Task List_PagedWithTop_IsNewestFirstThenById_WithoutDuplicatesOrGaps()
    {
        var prefix = NewPrefix();
        // Started in id order, so newest first is the reverse of the order the backend lists them in.
        var ids = Enumerable.Range(0, 7).Select(i => $"{prefix}{(char)('a' + i)}").ToList();
        foreach (var id in ids)
        {
            await StartAsync(id);
        }

        await UntilRunningAsync(ids);
        var pages = await ListAllAsync($"/api/instances?instanceIdPrefix={prefix}&top=3");

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(await NewestFirstAsync(ids), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task List_AnInstanceStartedBetweenPages_DoesNotShiftTheNextPage()
    {
        var prefix = NewPrefix();
        var ids = Enumerable.Range(0, 4).Select(i => $"{prefix}{i}").ToList();
        foreach (var id in ids)
        {
            await StartAsync(id);
        }

        await UntilRunningAsync(ids);
        var expected = await NewestFirstAsync(ids);
        using var first = await app.SendAsync(HttpMethod.Get, $"/api/instances?instanceIdPrefix={prefix}&top=2");
        var token = Assert.Single(first.Headers.GetValues(ManagementQuery.ContinuationTokenHeader));
        await StartAsync(prefix + "late");
        using var second = await SendWithTokenAsync($"/api/instances?instanceIdPrefix={prefix}&top=2", token);

        Assert.Equal(expected[..2], await IdsAsync(first));
        Assert.Equal(expected[2..], await IdsAsync(second));
        Assert.False(second.Headers.Contains(ManagementQuery.ContinuationTokenHeader));
    }

    [Fact]
    public async Task List_FilteredByStatus_PagesOnlyThoseNewestFirst()
    {
        var prefix = NewPrefix();
        var ids = Enumerable.Range(0, 5).Select(i => $"{prefix}{i}").ToList();
        foreach (var id in ids)
        {
            await StartAsync(id);
        }

        await UntilRunningAsync(ids);
        foreach (var id in ids.Where((_, i) => i % 2 == 0))
        {
            await app.Durable.RaiseEventAsync(id, "Approve", "yes");
        }

        var finished = ids.Where((_, i) => i % 2 == 0).ToList();
        await Waiting.UntilAsync(
            async () => (await Task.WhenAll(finished.Select(id => app.Durable.GetInstanceAsync(id)))).All(i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Completed),
            "the approved instances to complete");

        var pages = await ListAllAsync($"/api/instances?instanceIdPrefix={prefix}&runtimeStatus=Completed&top=2");

        Assert.Equal(await NewestFirstAsync(finished), pages.SelectMany(p => p));
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("aGVsbG8=")]
    [InlineData("fA==")]
    [InlineData("MTIzfA==")]
    public async Task List_AContinuationTokenThisApiNeverGaveOut_Is400Problem(string token)
    {
        using var response = await SendWithTokenAsync("/api/instances?top=2", token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(ManagementQuery.ContinuationTokenHeader, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string NewPrefix() => $"unit-list-{Guid.NewGuid().ToString("N")[..8]}-";

    private async Task StartAsync(string id) =>
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions(id));

    /// <summary>
    /// Waits until the instances run: the in-memory backend rewrites an instance's creation time (by microseconds) when
    /// its first step commits, so the expected order is read from instances that have settled.
    /// </summary>
    private async Task UntilRunningAsync(IEnumerable<string> ids) =>
        await Waiting.UntilAsync(
            async () => (await Task.WhenAll(ids.Select(id => app.Durable.GetInstanceAsync(id)))).All(i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running),
            "the instances to run");

    /// <summary>The ids in the order the API promises: creation time (as the engine recorded it) descending, then id.</summary>
    private async Task<List<string>> NewestFirstAsync(IEnumerable<string> ids)
    {
        var instances = await Task.WhenAll(ids.Select(async id => (await app.Durable.GetInstanceAsync(id))!));
        return [.. instances.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.InstanceId, StringComparer.Ordinal).Select(i => i.InstanceId)];
    }

    /// <summary>Every page, following the continuation token until the API gives none.</summary>
    private async Task<List<List<string>>> ListAllAsync(string path)
    {
        var pages = new List<List<string>>();
        string? token = null;
        do
        {
            using var response = await SendWithTokenAsync(path, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(await IdsAsync(response));
            token = response.Headers.TryGetValues(ManagementQuery.ContinuationTokenHeader, out var values) ? values.Single() : null;
            Assert.True(pages.Count < 50, "the pages never ended");
        }
        while (token is not null);
        return pages;
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(string path, string? token)
    {
        using var request = InProcessApp.Request(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation(ManagementQuery.ContinuationTokenHeader, token);
        }

        return await app.Client.SendAsync(request);
    }

    private static async Task<List<string>> IdsAsync(HttpResponseMessage response)
    {
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. list.EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()!)];
    }
}
