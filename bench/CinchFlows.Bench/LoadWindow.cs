namespace CinchFlows.Bench;

/// <summary>
/// What the load phase's step samples say about the worker's capacity. The backlog window runs from the last sample
/// before the phase's first step to the sample that saw its last step; the drain is its part after the last webhook was
/// answered, when the worker has Azurite to itself and a backlog to work off (the capacity figure). A sample can only
/// bound when a step committed, so a window is at most one sampling interval too long at either end (rates err low).
/// </summary>
/// <param name="Steps">Steps committed in the window (all the phase's steps).</param>
/// <param name="Seconds">Length of the window.</param>
/// <param name="DrainSteps">Steps committed after the last webhook was answered: the backlog the sending left behind.</param>
/// <param name="DrainSeconds">From the first sample after the last webhook was answered to the last step.</param>
/// <param name="DrainIntervals">Sampling intervals in the drain.</param>
/// <param name="PeakStepsPerSecond">The best rate over any span of at least <see cref="PeakSpan"/> between two samples in the window; NaN when the window is shorter.</param>
/// <param name="EmptyPolls">Work-queue polls that found nothing during the window (0: the queue never ran dry).</param>
internal sealed record LoadWindow(long Steps, double Seconds, long DrainSteps, double DrainSeconds, int DrainIntervals, double PeakStepsPerSecond, long EmptyPolls)
{
    /// <summary>Sampling intervals a drain must span to be timed (shorter, the sampling error is too large a part of it).</summary>
    public const int MinDrainIntervals = 4;

    /// <summary>The span the peak rate is taken over.</summary>
    public static readonly TimeSpan PeakSpan = TimeSpan.FromSeconds(5);

    /// <summary>Steps per second over the whole backlog window, the webhooks' intake included.</summary>
    public double StepsPerSecond => Steps / Seconds;

    /// <summary>Steps per second after the sending ended (the worker alone with its backlog); NaN when shorter than <see cref="MinDrainIntervals"/> intervals.</summary>
    public double DrainStepsPerSecond => DrainIntervals >= MinDrainIntervals ? DrainSteps / DrainSeconds : double.NaN;

    /// <summary>The share of the phase's steps committed after the last webhook was answered.</summary>
    public double DrainShare => DrainSteps / (double)Steps;

    /// <summary>
    /// Reads <paramref name="samples"/> (in time order, the first taken before any webhook was sent); <paramref name="sentAt"/>
    /// is when the last webhook was answered. Null when no step was committed.
    /// </summary>
    public static LoadWindow? Of(IReadOnlyList<StepSample> samples, TimeSpan sentAt)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return null;
        }

        var first = -1;
        var last = -1;
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].Steps != samples[i - 1].Steps)
            {
                first = first < 0 ? i - 1 : first;
                last = i;
            }
        }

        if (first < 0)
        {
            return null;
        }

        var start = samples[first];
        var end = samples[last];
        var drainFrom = Enumerable.Range(first, last - first + 1).FirstOrDefault(i => samples[i].At >= sentAt, last);
        var peak = double.NaN;
        for (int i = first + 1, j = first; i <= last; i++)
        {
            // j: the latest sample at least PeakSpan before i.
            while (j + 1 < i && samples[i].At - samples[j + 1].At >= PeakSpan)
            {
                j++;
            }

            var span = samples[i].At - samples[j].At;
            if (span >= PeakSpan)
            {
                var rate = (samples[i].Steps - samples[j].Steps) / span.TotalSeconds;
                peak = double.IsNaN(peak) ? rate : Math.Max(peak, rate);
            }
        }

        return new LoadWindow(
            end.Steps - start.Steps,
            (end.At - start.At).TotalSeconds,
            end.Steps - samples[drainFrom].Steps,
            (end.At - samples[drainFrom].At).TotalSeconds,
            last - drainFrom,
            peak,
            end.EmptyPolls - start.EmptyPolls);
    }
}
