using CinchFlows.Durable.History;
using CinchFlows.Durable.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Durable.Tests;

public sealed class ActivityTests
{
    [Fact]
    public async Task Activities_in_sequence_complete_with_their_results_in_order()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Greeting>().AddActivity<SayHello>());

        var id = await host.StartAsync(nameof(Greeting), "Ada", "greet-1");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(["Hello Ada", "Hello Tokyo", "Hello London"], status.ReadOutputAs<string[]>()!);
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(3, history!.OfType<TaskScheduledEvent>().Count());
        Assert.Equal(3, history!.OfType<TaskCompletedEvent>().Count());
        Assert.IsType<ExecutionCompletedEvent>(history![^1]);
    }

    [Fact]
    public async Task Replay_safe_logger_writes_each_line_once_although_the_code_replays()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Greeting>().AddActivity<SayHello>());

        await host.StartAsync(nameof(Greeting), "Ada", "greet-log");

        var lines = host.Logs.Lines.Where(l => l.Message.StartsWith("greeting ", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.Equal(["greeting Ada", "greeting Tokyo", "greeting London"], lines);
    }

    [Fact]
    public async Task Failed_activity_surfaces_as_TaskFailedException_with_the_cause()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<CatchesFailure>().AddActivity<Explodes>());

        var id = await host.StartAsync(nameof(CatchesFailure), null, "catch-1");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("caught System.InvalidOperationException: boom", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Uncaught_activity_failure_fails_the_instance_with_details()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<LetsFailureThrough>().AddActivity<Explodes>());

        var id = await host.StartAsync(nameof(LetsFailureThrough), null, "uncaught-1");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal(nameof(TaskFailedException), status.FailureDetails!.ErrorType);
        Assert.Contains("boom", status.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.True(status.FailureDetails.IsCausedBy<InvalidOperationException>());
    }

    [Fact]
    public async Task Unknown_activity_fails_the_task_not_the_worker()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<CallsMissingActivity>());

        var id = await host.StartAsync(nameof(CallsMissingActivity), null, "missing-activity");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("ActivityNotFound", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Unknown_orchestrator_fails_the_instance_with_a_clear_reason()
    {
        await using var host = new DurableTestHost(r => r.AddActivity<SayHello>());

        var id = await host.StartAsync("NoSuchFlow", null, "no-such-flow");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal("OrchestratorNotFound", status.FailureDetails!.ErrorType);
    }

    [Fact]
    public async Task Activity_input_too_large_for_a_work_message_is_refused_in_the_calling_code()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<SendsHugeInput>().AddActivity<SayHello>());

        var id = await host.StartAsync(nameof(SendsHugeInput), null, "huge-input");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("refused: PayloadTooLargeException", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Activity_runs_with_a_stable_idempotency_key_and_DI_dependencies()
    {
        var seen = new KeyRecorder();
        await using var host = new DurableTestHost(
            r => r.AddOrchestrator<CallsKeyed>().AddActivity<RecordsKey>(),
            services: s => s.AddSingleton(seen));

        await host.StartAsync(nameof(CallsKeyed), null, "keyed-1");

        Assert.Equal(["keyed-1:0", "keyed-1:1"], seen.Keys);
    }

    internal sealed class Greeting : TaskOrchestrator<string, string[]>
    {
        public override async Task<string[]> RunAsync(TaskOrchestrationContext context, string input)
        {
            var log = context.CreateReplaySafeLogger<Greeting>();
            var results = new List<string>();
            foreach (var name in new[] { input, "Tokyo", "London" })
            {
                log.LogInformation("greeting {Name}", name);
                results.Add(await context.CallActivityAsync<string>(nameof(SayHello), name));
            }

            return [.. results];
        }
    }

    internal sealed class SayHello : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult($"Hello {input}");
    }

    internal sealed class Explodes : TaskActivity<object?, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, object? input) => throw new InvalidOperationException("boom");
    }

    internal sealed class CatchesFailure : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                await context.CallActivityAsync<string>(nameof(Explodes));
                return "no failure";
            }
            catch (TaskFailedException ex)
            {
                return $"caught {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
            }
        }
    }

    internal sealed class LetsFailureThrough : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
            await context.CallActivityAsync<string>(nameof(Explodes));
    }

    internal sealed class CallsMissingActivity : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                await context.CallActivityAsync("NotRegistered");
                return "ran";
            }
            catch (TaskFailedException ex)
            {
                return ex.FailureDetails.ErrorType;
            }
        }
    }

    internal sealed class SendsHugeInput : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                return await context.CallActivityAsync<string>(nameof(SayHello), new string('x', 100_000));
            }
            catch (PayloadTooLargeException ex)
            {
                return $"refused: {ex.GetType().Name}";
            }
        }
    }

    internal sealed class KeyRecorder
    {
        public List<string> Keys { get; } = [];
    }

    internal sealed class RecordsKey(KeyRecorder recorder) : TaskActivity<object?, object?>
    {
        public override Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            lock (recorder)
            {
                recorder.Keys.Add(context.IdempotencyKey);
            }

            return Task.FromResult<object?>(null);
        }
    }

    internal sealed class CallsKeyed : TaskOrchestrator<object?, object?>
    {
        public override async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.CallActivityAsync(nameof(RecordsKey));
            await context.CallActivityAsync(nameof(RecordsKey));
            return null;
        }
    }
}
