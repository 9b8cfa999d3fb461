using CinchFlows.Bench;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>How the load phase's step samples become steps/s at capacity (no process started).</summary>
public sealed class LoadWindowTests
{
    [Fact]
    public void Steps_per_second_run_from_the_sample_before_the_first_step_to_the_sample_of_the_last()
    {
        // Quiet for 1 s, then 100 steps/s for 10 s, then quiet again; the webhooks were all answered at 4 s.
        var samples = Samples(s => s < 1 ? 0 : Math.Min(s - 1, 10) * 100, seconds: 14);

        var window = LoadWindow.Of(samples, TimeSpan.FromSeconds(4))!;

        Assert.Equal(1000, window.Steps);
        Assert.Equal(10, window.Seconds, 3); // from 1 s (the last sample without a step of the phase) to 11 s
        Assert.Equal(100, window.StepsPerSecond, 3);
        Assert.Equal(700, window.DrainSteps);
        Assert.Equal(7, window.DrainSeconds, 3);
        Assert.Equal(28, window.DrainIntervals);
        Assert.Equal(100, window.DrainStepsPerSecond, 3);
        Assert.Equal(0.7, window.DrainShare, 3);
        Assert.Equal(100, window.PeakStepsPerSecond, 3);
    }

    [Fact]
    public void The_peak_is_the_best_five_seconds_and_empty_polls_count_only_inside_the_window()
    {
        // 50 steps/s for 6 s, then 200 steps/s for 6 s; empty polls before, during and after.
        var samples = Samples(s => s <= 6 ? s * 50 : 300 + Math.Min(s - 6, 6) * 200, seconds: 16, emptyPolls: s => s < 0.5 ? 0 : s < 14 ? 3 : 9);

        var window = LoadWindow.Of(samples, TimeSpan.FromSeconds(20))!;

        Assert.Equal(200, window.PeakStepsPerSecond, 3);
        Assert.Equal(1500, window.Steps);
        Assert.Equal(3, window.EmptyPolls);
        Assert.Equal(0, window.DrainSteps);
        Assert.True(double.IsNaN(window.DrainStepsPerSecond));
    }

    [Fact]
    public void Steps_that_land_between_two_samples_make_the_rate_err_low_never_high()
    {
        // 100 steps committed at once at 2.1 s: the window is the 250 ms around them, not zero.
        var samples = Samples(s => s < 2.1 ? 0 : 100, seconds: 4);

        var window = LoadWindow.Of(samples, TimeSpan.Zero)!;

        Assert.Equal(0.25, window.Seconds, 3);
        Assert.Equal(400, window.StepsPerSecond, 3);
    }

    [Fact]
    public void A_drain_of_fewer_than_four_samples_is_too_short_to_time()
    {
        // 100 steps/s from 1 s to 5 s; the webhooks were all answered at 4.3 s, so the drain runs from 4.5 s to 5 s.
        var samples = Samples(s => s < 1 ? 0 : Math.Min(s - 1, 4) * 100, seconds: 8);

        var window = LoadWindow.Of(samples, TimeSpan.FromSeconds(4.3))!;

        Assert.Equal(2, window.DrainIntervals);
        Assert.Equal(50, window.DrainSteps);
        Assert.True(double.IsNaN(window.DrainStepsPerSecond));
        Assert.Equal(100, window.StepsPerSecond, 3);
    }

    [Fact]
    public void A_window_shorter_than_five_seconds_has_no_peak_and_a_phase_without_steps_has_no_window()
    {
        var brief = LoadWindow.Of(Samples(s => Math.Min(s, 2) * 10, seconds: 6), TimeSpan.Zero)!;
        var none = LoadWindow.Of(Samples(_ => 0, seconds: 6), TimeSpan.Zero);

        Assert.True(double.IsNaN(brief.PeakStepsPerSecond));
        Assert.Equal(20, brief.Steps);
        Assert.Null(none);
    }

    // A sample every 250 ms from 0 to `seconds`, with the steps (and empty polls) the functions give at each time.
    private static List<StepSample> Samples(Func<double, double> steps, double seconds, Func<double, double>? emptyPolls = null) =>
        [.. Enumerable.Range(0, (int)(seconds * 4) + 1).Select(i => i / 4.0).Select(s => new StepSample(TimeSpan.FromSeconds(s), (long)Math.Round(steps(s)), (long)(emptyPolls?.Invoke(s) ?? 0)))];
}
