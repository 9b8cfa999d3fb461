using System.Text.Json.Nodes;
using CinchFlows.Web.StuckFlows;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.StuckFlows;

/// <summary>Each rule of the stuck-flow check on its own: what counts as stuck, and what never does.</summary>
public sealed class StuckFlowRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);
    private static readonly StuckFlowOptions Options = new() { QuietFor = TimeSpan.FromMinutes(10), OverdueGrace = TimeSpan.FromMinutes(10) };

    [Fact]
    public void A_Running_row_over_an_ended_history_is_stuck_and_repairable()
    {
        var history = StuckFlowRules.Summarise(
        [
            Event("ExecutionStarted"),
            Event("TaskScheduled", ("EventId", 0)),
            Event("TaskCompleted", ("TaskScheduledId", 0)),
            Event("ExecutionCompleted", ("OrchestrationStatus", 1), ("Result", "{\"outcome\":\"Connected\"}"), ("Timestamp", "2026-12-05T01:30:00Z")),
        ]);

        var finding = StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddMinutes(-30)), history, Now, Options);

        Assert.NotNull(finding);
        Assert.Equal(StuckFlowKind.EndedButShownRunning, finding.Kind);
        Assert.Equal("Completed", finding.HistoryStatus);
        Assert.True(finding.Repairable);
        Assert.Equal("{\"outcome\":\"Connected\"}", history.Output);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 1, 30, 0, TimeSpan.Zero), history.EndedAt);
    }

    [Theory]
    [InlineData(3, "Failed")]
    [InlineData(5, "Terminated")]
    public void Failed_and_terminated_ends_count_as_ended_whether_the_status_is_a_number_or_a_name(int number, string name)
    {
        Assert.Equal(name, StuckFlowRules.Summarise([Event("ExecutionStarted"), Event("ExecutionCompleted", ("OrchestrationStatus", number))]).EndedAs);
        Assert.Equal(name, StuckFlowRules.Summarise([Event("ExecutionStarted"), Event("ExecutionCompleted", ("OrchestrationStatus", name))]).EndedAs);
    }

    [Fact]
    public void A_flow_that_moved_within_the_quiet_time_is_never_stuck_whatever_its_history_says()
    {
        var ended = StuckFlowRules.Summarise([Event("ExecutionStarted"), Event("ExecutionCompleted", ("OrchestrationStatus", 1))]);

        Assert.Null(StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddMinutes(-9)), ended, Now, Options));
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Suspended)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    public void Finished_or_suspended_flows_are_never_stuck(OrchestrationRuntimeStatus status)
    {
        var ended = StuckFlowRules.Summarise([Event("ExecutionStarted"), Event("ExecutionCompleted", ("OrchestrationStatus", 1))]);

        Assert.Null(StuckFlowRules.Judge(Flow(status, Now.AddHours(-3)), ended, Now, Options));
    }

    [Fact]
    public void A_Pending_flow_with_no_history_after_the_quiet_time_never_started()
    {
        var finding = StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Pending, Now.AddMinutes(-20)), StuckFlowRules.Summarise([]), Now, Options);

        Assert.NotNull(finding);
        Assert.Equal(StuckFlowKind.NeverStarted, finding.Kind);
        Assert.False(finding.Repairable);
    }

    [Fact]
    public void A_flow_past_its_due_time_and_grace_with_no_timer_left_is_overdue()
    {
        var history = StuckFlowRules.Summarise(
        [
            Event("ExecutionStarted"),
            Event("TimerCreated", ("EventId", 1), ("FireAt", "2026-12-05T01:20:00Z")),
            Event("TimerFired", ("TimerId", 1), ("FireAt", "2026-12-05T01:20:00Z")),
        ]);

        var finding = StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddMinutes(-40), due: Now.AddMinutes(-11)), history, Now, Options);

        Assert.NotNull(finding);
        Assert.Equal(StuckFlowKind.OverdueWithNothingScheduled, finding.Kind);
        Assert.Equal(Now.AddMinutes(-11), finding.DueTime);
    }

    [Fact]
    public void A_timer_whose_fire_time_passed_long_ago_without_firing_leaves_the_flow_overdue()
    {
        // The timer's message was lost: it was due at 01:20 and never fired.
        var history = StuckFlowRules.Summarise([Event("ExecutionStarted"), Event("TimerCreated", ("EventId", 4), ("FireAt", "2026-12-05T01:20:00Z"))]);

        var finding = StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddMinutes(-40), due: Now.AddMinutes(-40)), history, Now, Options);

        Assert.Equal(StuckFlowKind.OverdueWithNothingScheduled, finding?.Kind);
    }

    [Fact]
    public void A_flow_past_its_due_time_with_a_timer_still_to_fire_is_waiting_not_stuck()
    {
        var history = StuckFlowRules.Summarise([Event("ExecutionStarted"), Event("TimerCreated", ("EventId", 2), ("FireAt", "2026-12-05T02:05:00Z"))]);

        Assert.Equal(Now.AddMinutes(5), history.NextTimer);
        Assert.Null(StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddMinutes(-40), due: Now.AddMinutes(-30)), history, Now, Options));
    }

    [Fact]
    public void A_flow_overdue_by_less_than_the_grace_or_without_a_due_time_is_not_stuck()
    {
        var started = StuckFlowRules.Summarise([Event("ExecutionStarted")]);

        Assert.Null(StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddMinutes(-40), due: Now.AddMinutes(-9)), started, Now, Options));
        Assert.Null(StuckFlowRules.Judge(Flow(OrchestrationRuntimeStatus.Running, Now.AddHours(-5)), started, Now, Options));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("\"just text\"")]
    [InlineData("{\"due\":42}")]
    [InlineData("{\"due\":\"tomorrow\"}")]
    public void A_custom_status_without_a_readable_due_time_has_none(string? customStatus) =>
        Assert.Null(StuckFlowRules.Due(customStatus));

    private static OrchestrationMetadata Flow(OrchestrationRuntimeStatus status, DateTimeOffset lastUpdated, DateTimeOffset? due = null) =>
        new("SupervisorCallback", "callback-1")
        {
            RuntimeStatus = status,
            CreatedAt = lastUpdated.AddMinutes(-5),
            LastUpdatedAt = lastUpdated,
            SerializedCustomStatus = due is null ? "{\"phase\":\"WaitingForClaim\"}" : $"{{\"phase\":\"WaitingForClaim\",\"due\":\"{due.Value:O}\"}}",
        };

    private static JsonObject Event(string type, params (string Name, object Value)[] fields)
    {
        var json = new JsonObject { ["EventType"] = type };
        foreach (var (name, value) in fields)
        {
            json[name] = value switch
            {
                int number => number,
                string text => text,
                _ => throw new ArgumentException($"Unexpected field type for {name}."),
            };
        }

        return json;
    }
}
