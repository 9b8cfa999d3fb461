namespace CinchFlows.Bench;

/// <summary>
/// Flows per second at capacity, from the load phase's samples, the same for any engine: every waiting flow's first
/// act is a notice (an escalation routed to a group, a callback request to the supervisors), and Azurite counts the
/// notices as they land. The phase's flows are done starting when every one has sent its notice (or the count stood
/// still for minutes); the time taken is until the first sample that saw the final count, so it errs long by at most
/// one sampling interval (the rate errs low).
/// </summary>
internal static class LoadThroughput
{
    /// <summary>
    /// When (on the phase's clock) <paramref name="samples"/> (in time order, the first taken before any webhook) first
    /// saw the final notice count, and the notices counted since the first sample; null when no notice came.
    /// </summary>
    public static (TimeSpan At, long Notices)? LastNotice(IReadOnlyList<StepSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2 || samples[^1].Notices == samples[0].Notices)
        {
            return null;
        }

        var final = samples[^1].Notices;
        var first = samples.First(s => s.Notices == final);
        return (first.At, final - samples[0].Notices);
    }
}
