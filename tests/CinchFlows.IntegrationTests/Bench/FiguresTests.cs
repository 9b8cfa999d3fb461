using CinchFlows.Bench;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>The figures' goals: absolute ones, and those relative to the baseline measured in the same run.</summary>
public sealed class FiguresTests
{
    private static FigureDefinition Figure(string key) => Figures.All.Single(f => f.Key == key);

    [Fact]
    public void The_ack_goal_needs_25_ms_and_no_more_than_the_baseline()
    {
        var ack = Figure("ack");
        var current = new Dictionary<string, double> { ["ack.p50"] = 8, ["ack.p99"] = 20 };

        Assert.Equal("PASS", ack.Verdict(current, null));
        Assert.Equal("PASS", ack.Verdict(current, new Dictionary<string, double> { ["ack.p50"] = 9, ["ack.p99"] = 22 }));
        Assert.Equal("MISS", ack.Verdict(current, new Dictionary<string, double> { ["ack.p50"] = 5, ["ack.p99"] = 19 }));
        Assert.Equal("MISS", ack.Verdict(new Dictionary<string, double> { ["ack.p50"] = 8, ["ack.p99"] = 26 }, null));
    }

    [Fact]
    public void Requests_per_flow_may_be_half_as_many_again_as_the_baselines_and_need_one()
    {
        var perFlow = Figure("requestsPerF1Flow");

        Assert.Equal("PASS", perFlow.Verdict(new Dictionary<string, double> { ["requestsPerF1Flow"] = 40.5 }, new Dictionary<string, double> { ["requestsPerF1Flow"] = 27 }));
        Assert.Equal("MISS", perFlow.Verdict(new Dictionary<string, double> { ["requestsPerF1Flow"] = 40.6 }, new Dictionary<string, double> { ["requestsPerF1Flow"] = 27 }));
        Assert.Equal(FigureDefinition.NeedsABaseline, perFlow.Verdict(new Dictionary<string, double> { ["requestsPerF1Flow"] = 1 }, null));
        Assert.Equal("1.5×", perFlow.Ratio(new Dictionary<string, double> { ["requestsPerF1Flow"] = 40.5 }, new Dictionary<string, double> { ["requestsPerF1Flow"] = 27 }));
    }

    [Fact]
    public void Throughput_compares_the_ratios_to_the_raw_rate_not_the_flow_rates()
    {
        var throughput = Figure("throughput");
        var baseline = new Dictionary<string, double> { ["flowsPerSecond"] = 45, ["rawBatchesPerSecond"] = 1500, ["flowsRatio"] = 0.03 };

        // Fewer flows/s on a slower Azurite is no miss when the ratio holds.
        Assert.Equal("PASS", throughput.Verdict(new Dictionary<string, double> { ["flowsPerSecond"] = 30, ["rawBatchesPerSecond"] = 1000, ["flowsRatio"] = 0.03 }, baseline));
        Assert.Equal("MISS", throughput.Verdict(new Dictionary<string, double> { ["flowsPerSecond"] = 3.8, ["rawBatchesPerSecond"] = 1040, ["flowsRatio"] = 0.0037 }, baseline));
    }

    [Fact]
    public void A_missing_value_is_not_measured_and_a_missing_number_is_not_a_pass()
    {
        var idle = Figure("idle");

        Assert.Equal(FigureDefinition.NotMeasured, idle.Verdict(new Dictionary<string, double>(), null));
        Assert.Equal(FigureDefinition.NotMeasured, idle.Shown(new Dictionary<string, double>()));
        Assert.Equal("n/a", idle.Verdict(new Dictionary<string, double> { ["idleRequestsPerMinute"] = double.NaN }, null));
        Assert.Equal("—", idle.Ratio(new Dictionary<string, double> { ["idleRequestsPerMinute"] = 100 }, null));
    }

    [Fact]
    public void The_flows_are_done_starting_when_the_notice_count_stops_growing()
    {
        StepSample At(double seconds, long notices) => new(TimeSpan.FromSeconds(seconds), 0, 0, notices);

        var last = LoadThroughput.LastNotice([At(0, 5), At(1, 40), At(2, 90), At(3, 105), At(4, 105), At(5, 105)]);

        Assert.Equal((TimeSpan.FromSeconds(3), 100L), last);
        Assert.Null(LoadThroughput.LastNotice([At(0, 5), At(1, 5)]));
        Assert.Null(LoadThroughput.LastNotice([At(0, 5)]));
    }

    [Theory]
    [InlineData(0.0019, "0.0019")]
    [InlineData(0.16, "0.16")]
    [InlineData(2579.4, "2,579")]
    [InlineData(0, "0")]
    public void Small_ratios_keep_their_digits(double value, string shown)
    {
        Assert.Equal(shown, Figures.Format(value));
    }
}
