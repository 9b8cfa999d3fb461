using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Web.Management;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Management;

/// <summary>Terminate, suspend and resume take a reason code from a fixed list; free text is refused, never stored or logged.</summary>
public sealed class ControlReasonTests : IAsyncLifetime
{
    private const string FreeText = "caller has chest pain";

    private ManagementTestApp app = null!;

    public async Task InitializeAsync() => app = await ManagementTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("terminate")]
    [InlineData("suspend")]
    [InlineData("resume")]
    public async Task A_free_text_reason_is_400_listing_the_codes_and_changes_nothing(string operation)
    {
        var id = "reason-free-" + operation;
        await StartWaitingAsync(id);
        if (operation == "resume")
        {
            await app.Durable.SuspendInstanceAsync(id, null);
            await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, "suspended");
        }

        var before = (await app.Durable.GetInstanceAsync(id))!.RuntimeStatus;
        using var response = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/{operation}?reason={Uri.EscapeDataString(FreeText)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        AssertNoTrace(text);
        foreach (var code in ControlReasons.Codes)
        {
            Assert.Contains(code, text, StringComparison.Ordinal);
        }

        var after = await app.Durable.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(before, after!.RuntimeStatus);
        AssertNoTrace(app.Logs.AllText);
    }

    [Fact]
    public async Task A_reason_code_is_what_the_history_keeps_and_the_log_says()
    {
        const string id = "reason-code-terminate";
        await StartWaitingAsync(id);

        using (var response = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/terminate?reason=caller-hung-up"))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, "terminated");
        var terminated = await app.Durable.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal("\"caller-hung-up\"", terminated!.SerializedOutput);
        Assert.Contains(app.Logs.Lines, l => l.Contains(" 2103 ", StringComparison.Ordinal) && l.Contains("reason code caller-hung-up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_reason_is_allowed_and_logged_as_none()
    {
        const string id = "reason-none-suspend";
        await StartWaitingAsync(id);

        using var response = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/suspend");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, "suspended");
        Assert.Contains(app.Logs.Lines, l => l.Contains(" 2103 ", StringComparison.Ordinal) && l.Contains("reason code none", StringComparison.Ordinal));
    }

    // "chest" alone is inside "orchestration": look for the phrase in the forms a URL or log could hold it.
    private static void AssertNoTrace(string text)
    {
        foreach (var form in new[] { "chest pain", "chest%20pain", "chest+pain", "chest%2520pain" })
        {
            Assert.DoesNotContain(form, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task StartWaitingAsync(string id)
    {
        using var start = await app.SendAsync(HttpMethod.Post, $"/api/orchestrators/WaitingOrchestration/{id}");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");
        _ = await start.Content.ReadFromJsonAsync<JsonElement>();
    }
}
