using CinchFlows.Bench;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>The harness's command line (no process started).</summary>
public sealed class BenchOptionsTests
{
    [Fact]
    public void By_default_every_phase_runs_and_the_load_phase_sends_64_webhooks_at_a_time()
    {
        var options = BenchOptions.Parse([]);

        Assert.Equal(["idle", "transfer", "timers", "ack", "raw", "load"], options.Phases);
        Assert.Equal(64, options.LoadConcurrency);
        Assert.Null(options.LoadPace);
        Assert.Equal(8, options.RawConcurrency);
        Assert.Equal(10_000, options.WaitingFlows);
        Assert.Equal(TimeSpan.FromSeconds(20), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), BenchOptions.Parse(["--timer-seconds", "2"]).ConnectTimeout);
    }

    [Fact]
    public void Phases_are_kept_in_run_order_whatever_order_they_are_given_in()
    {
        var options = BenchOptions.Parse(["--phases", "load, raw,load", "--waiting-flows", "2000"]);

        Assert.Equal(["raw", "load"], options.Phases);
        Assert.True(options.Includes(BenchPhases.Load));
        Assert.False(options.Includes(BenchPhases.Ack));
        Assert.Equal(2000, options.WaitingFlows);
    }

    [Theory]
    [InlineData("--phases", "raw,lod")]
    [InlineData("--phases", ",")]
    [InlineData("--phases", "")]
    [InlineData("--load-concurrency", "0")]
    [InlineData("--load-concurrency", "many")]
    [InlineData("--raw-concurrency", "-8")]
    [InlineData("--load-pace", "0")]
    [InlineData("--timer-seconds", "0")]
    [InlineData("--baseline-label", "this build")]
    [InlineData("--baseline-label", " ")]
    [InlineData("--baseline-set", "novalue")]
    public void A_bad_value_is_refused_with_the_option_named(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse([option, value]));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_without_its_value_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--quick", "--phases"]));

        Assert.Contains("--phases needs a value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrencies_and_quick_sizes_combine()
    {
        var options = BenchOptions.Parse(["--quick", "--load-concurrency", "32", "--load-pace", "16", "--raw-concurrency", "4", "--phases", "raw,load"]);

        Assert.True(options.Quick);
        Assert.False(options.AzuriteIndexed);
        Assert.Equal(300, options.WaitingFlows);
        Assert.Equal(32, options.LoadConcurrency);
        Assert.Equal(16, options.LoadPace);
        Assert.Equal(4, options.RawConcurrency);
        Assert.Equal(["raw", "load"], options.Phases);
    }

    [Fact]
    public void Indexed_Azurite_is_asked_for_by_name()
    {
        Assert.True(BenchOptions.Parse(["--phases", "load", "--azurite-indexed"]).AzuriteIndexed);
    }

    [Fact]
    public void The_usage_text_names_every_option_the_parser_takes()
    {
        foreach (var option in new[] { "--quick", "--runs", "--phases", "--out", "--waiting-flows", "--load-concurrency", "--load-pace", "--raw-concurrency", "--azurite-indexed", "--service", "--ack-seconds", "--timer-seconds", "--set", "--side-by-side", "--baseline", "--baseline-label", "--baseline-set" })
        {
            Assert.Contains(option, BenchOptions.Usage, StringComparison.Ordinal);
        }

        Assert.Contains(string.Join(",", BenchOptions.AllPhases), BenchOptions.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_baseline_a_run_measures_this_build_alone()
    {
        var options = BenchOptions.Parse(["--set", "Durable:PartitionCount=1"]);

        var build = Assert.Single(options.BuildsFor(1, "this.dll"));
        Assert.Equal(BuildUnderTest.ThisBuild, build.Label);
        Assert.False(build.IsBaseline);
        Assert.Equal("1", build.Settings["Durable__PartitionCount"]);
    }

    [Fact]
    public void With_a_baseline_the_builds_take_turns_going_first_and_keep_their_own_settings()
    {
        var options = BenchOptions.Parse(["--baseline", "old/CinchFlows.Functions.dll", "--baseline-label", "own engine", "--set", "A:B=1", "--baseline-set", "C:D=2"]);

        Assert.Equal(["own engine", BuildUnderTest.ThisBuild], options.BuildsFor(1, "this.dll").Select(b => b.Label));
        Assert.Equal([BuildUnderTest.ThisBuild, "own engine"], options.BuildsFor(2, "this.dll").Select(b => b.Label));
        var baseline = options.BuildsFor(3, "this.dll")[0];
        Assert.True(baseline.IsBaseline);
        Assert.Equal("old/CinchFlows.Functions.dll", baseline.DllPath);
        Assert.Equal(["C__D"], baseline.Settings.Keys);
        Assert.Equal(["A__B"], options.BuildsFor(3, "this.dll")[1].Settings.Keys);
    }
}
