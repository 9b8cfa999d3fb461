using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace CinchFlows.Flows.Tests.Shared;

/// <summary>
/// What the flows rely on in Microsoft.DurableTask 1.28.0, checked on its in-memory host: timers end when their token
/// is cancelled; a wait with a timeout ends in <see cref="TaskCanceledException"/> (F3 catches that, not a
/// <see cref="TimeoutException"/>); and a cancelled event wait does not take the next event of its name, so the next
/// wait gets it (older workers lost it: durabletask-dotnet #508, #801). The warm transfer and the acknowledgement wait
/// race events against a timer and cancel the losers on every round.
/// </summary>
public sealed class DurableTaskSdkTests
{
    [Fact]
    public async Task ATimerCancelledByItsToken_EndsCancelled_AndTheOrchestrationCompletes()
    {
        await using var host = await DurableTaskTestHost.StartAsync(registry => registry.AddOrchestratorFunc<string, string>("Race", async (context, input) =>
        {
            using var cancel = new CancellationTokenSource();
            var timer = context.CreateTimer(TimeSpan.FromHours(1), cancel.Token);
            var go = context.WaitForExternalEvent<string>("Go");
            await Task.WhenAny(go, timer);
            cancel.Cancel();
            try
            {
                await timer;
                return "fired";
            }
            catch (TaskCanceledException)
            {
                return "cancelled:" + await go;
            }
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race", "x");
        await host.Client.RaiseEventAsync(id, "Go", "now");

        Assert.Equal("\"cancelled:now\"", (await CompletedAsync(host, id)).SerializedOutput);
    }

    [Fact]
    public async Task AWaitWithATimeout_EndsInTaskCanceledException_NotTimeoutException()
    {
        await using var host = await DurableTaskTestHost.StartAsync(registry => registry.AddOrchestratorFunc<string, string>("Wait", async (context, input) =>
        {
            try
            {
                await context.WaitForExternalEvent<string>("Never", TimeSpan.FromMilliseconds(100));
                return "event";
            }
            catch (TaskCanceledException)
            {
                return nameof(TaskCanceledException);
            }
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait", "x");

        Assert.Equal($"\"{nameof(TaskCanceledException)}\"", (await CompletedAsync(host, id)).SerializedOutput);
    }

    [Fact]
    public async Task ACancelledEventWait_LeavesTheNextEventToTheNextWait()
    {
        await using var host = await DurableTaskTestHost.StartAsync(registry => registry.AddOrchestratorFunc<string, string>("Lose", async (context, input) =>
        {
            using (var cancel = new CancellationTokenSource())
            {
                _ = context.WaitForExternalEvent<string>("E", cancel.Token);
                cancel.Cancel();
            }

            await context.WaitForExternalEvent<string>("Go");
            return await context.WaitForExternalEvent<string>("E");
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Lose", "x");
        await host.Client.RaiseEventAsync(id, "E", "one");
        await host.Client.RaiseEventAsync(id, "E", "two");
        await host.Client.RaiseEventAsync(id, "Go", "go");

        // "one" was kept for the wait that came after the cancelled one.
        Assert.Equal("\"one\"", (await CompletedAsync(host, id)).SerializedOutput);
    }

    private static async Task<OrchestrationMetadata> CompletedAsync(DurableTaskTestHost host, string id)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var instance = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return instance;
    }
}
