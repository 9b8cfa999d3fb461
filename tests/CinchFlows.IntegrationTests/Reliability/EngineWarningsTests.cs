using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>The harness reads the backend's back-off lines as the pinned DurableTask.AzureStorage prints them.</summary>
public sealed class EngineWarningsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_back_off_line_hides_its_instance_for_that_many_seconds_and_the_longest_is_kept()
    {
        var backOffs = new EngineWarnings(new FakeTimeProvider(Now));

        backOffs.Read("      medical-call-4aa44d-19: Abandoning [ExecutionStarted] message back to tb359a-control-01 and setting a visibility delay of 32ms");
        backOffs.Read("      medical-call-4aa44d-19: Abandoning [TimerFired#14] message back to tb359a-control-01 and setting a visibility delay of 2ms");
        backOffs.Read("      callback-call-call-4aa44d-28: Abandoning [EventRaised] message back to tb359a-control-02 and setting a visibility delay of 128ms");

        Assert.Equal(Now.AddSeconds(32), backOffs.HiddenUntil("medical-call-4aa44d-19"));
        Assert.Equal(Now.AddSeconds(128), backOffs.HiddenUntil("callback-call-call-4aa44d-28"));
        Assert.Equal(3, backOffs.Count);
        Assert.Equal(TimeSpan.FromSeconds(128), backOffs.Longest);
    }

    [Fact]
    public void Split_brain_and_lease_timeout_warnings_are_counted_apart_from_back_offs()
    {
        var backOffs = new EngineWarnings(new FakeTimeProvider(Now));

        backOffs.Read("      callback-medical-call-4eb2ee-355: Split brain detected: Another worker already updated the history for this instance - the 4 history event result(s) will be discarded");
        backOffs.Read("      Operation to read and write the partition table exceeded the 2-second timeout.");
        backOffs.Read("      Operation to read and write the partition table exceeded the 2-second timeout.");
        backOffs.Read("02:47:28.872 warn: DurableTask.AzureStorage.Partitions[121]");

        Assert.Equal((1, 2, 0), (backOffs.SplitBrains, backOffs.LeaseTimeouts, backOffs.Count));
    }

    [Theory]
    [InlineData("warn: DurableTask.AzureStorage[104]")]
    [InlineData("      medical-call-4aa44d-132: Received a duplicate message [ExecutionStarted] from tb359a-control-03 with ID = 8cf4 and dequeue count = 6")]
    [InlineData("      Webhook msg_6a1b (com.cinch.call.medical-emergency.flagged) answered 503: its flow has not started yet.")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_lines_change_nothing(string? line)
    {
        var backOffs = new EngineWarnings(new FakeTimeProvider(Now));

        backOffs.Read(line);

        Assert.Equal((0, 0, 0), (backOffs.Count, backOffs.SplitBrains, backOffs.LeaseTimeouts));
        Assert.Equal(TimeSpan.Zero, backOffs.Longest);
        Assert.Null(backOffs.HiddenUntil("medical-call-4aa44d-132"));
    }
}
