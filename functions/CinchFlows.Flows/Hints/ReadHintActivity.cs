using Microsoft.DurableTask;

namespace CinchFlows.Flows.Hints;

/// <summary>When the hint for a call and protocol was given, or null: F1 records whether a hint came before the agent flagged.</summary>
internal sealed class ReadHintActivity(IHintLedger hints) : TaskActivity<HintLookup, DateTimeOffset?>
{
    public override async Task<DateTimeOffset?> RunAsync(TaskActivityContext context, HintLookup input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await hints.FindAsync(input.CallId, input.Protocol, CancellationToken.None).ConfigureAwait(false);
    }
}
