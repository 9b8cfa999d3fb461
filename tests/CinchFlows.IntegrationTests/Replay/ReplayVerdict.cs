namespace CinchFlows.IntegrationTests.Replay;

/// <summary>What replaying one exported history against the current code found.</summary>
/// <param name="Source">Where the history came from (a file, or the instance id).</param>
/// <param name="InstanceId">The instance the history belongs to.</param>
/// <param name="Name">The orchestration's name.</param>
/// <param name="Version">The flow version it started on (empty: before versioning).</param>
/// <param name="Events">History events replayed.</param>
/// <param name="Problem">Why the current code would not carry this instance on, or null when it would.</param>
internal sealed record ReplayVerdict(string Source, string InstanceId, string Name, string Version, int Events, string? Problem)
{
    /// <summary>True when the current code replays the history exactly.</summary>
    public bool Replays => Problem is null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Source}: {Name} {InstanceId} (version '{Version}', {Events} events): {Problem ?? "replays"}";
}
