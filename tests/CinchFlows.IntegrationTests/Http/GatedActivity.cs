using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>
/// An activity that, on its first run for an instance, waits until the test opens that instance's gate, so a test can
/// change the world (take storage away) while it runs. Later runs answer at once. Returns how many times it ran.
/// </summary>
internal sealed class GatedActivity : TaskActivity<string, int>
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate of <paramref name="instanceId"/>'s activity.</summary>
    public static Gate For(string instanceId) => Gates.GetOrAdd(instanceId, _ => new Gate());

    public override async Task<int> RunAsync(TaskActivityContext context, string input)
    {
        var gate = For(context.InstanceId);
        var run = Interlocked.Increment(ref gate.Runs);
        gate.Entered.TrySetResult();
        await gate.Opened.Task;
        return run;
    }

    /// <summary>One instance's gate: entered when the activity first runs, opened by the test.</summary>
    internal sealed class Gate
    {
        public int Runs;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
