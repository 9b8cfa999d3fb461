using System.Text.Json.Nodes;
using CinchFlows.Web.Ops;
using CinchFlows.Web.Tests.Support;

namespace CinchFlows.Web.Tests.Ops;

/// <summary>
/// Flow stories from recorded histories (the flows run on Azurite, saved by the replay check: tests/CinchFlows.IntegrationTests/Replay/Histories)
/// and from small hand-made ones for what a recording does not hold (a tier-up, a termination, events nobody knows).
/// </summary>
public sealed class FlowStoryBuilderTests
{
    [Fact]
    public void MedicalTransferNeverConnected_TellsThePromptEachAttemptTheCallbackAndTheEnd()
    {
        var story = FlowStoryBuilder.Build(Recorded("medical-call-84b95c67f8"));

        var lines = Texts(story);
        Assert.Equal("agent agent-3 flagged a Medical Emergency or High-Risk Situation on call call-84b95c67f8 (needs service)", lines[0]);
        Assert.Contains("agent prompted with the Medical Emergency Script", lines);
        Assert.Contains("the agent's desktop shown the Medical Emergency Script", lines);
        // The recording ran with a connect timeout of 1 s.
        Assert.Contains("transfer attempt 1 to Customer Service (x69187): no answer after 1 s", lines);
        Assert.Contains("transfer attempt 2 to Customer Service (x69187): no answer after 1 s", lines);
        Assert.Contains("transfer attempt 3 to Customer Service (x69187): no answer after 1 s", lines);
        Assert.Contains("high-priority callback opened (callback-medical-call-84b95c67f8)", lines);
        Assert.Contains("supervisor on duty alerted: the transfer never connected; callback callback-medical-call-84b95c67f8 to claim", lines);
        Assert.Equal("ended: not connected after 3 attempt(s); callback callback-medical-call-84b95c67f8 opened", lines[^1]);
        Assert.Equal("warning", story.Entries[^1].Kind);
        Assert.Equal(lines[^1], story.Standing);
        Assert.DoesNotContain(lines, l => l.Contains("TaskScheduled", StringComparison.Ordinal) || l.Contains("Activity", StringComparison.Ordinal));
        Assert.Equal(story.Entries.OrderBy(e => e.Time).Select(e => e.Text), lines);
    }

    [Fact]
    public void MedicalTransferConnected_TellsTheConnectionAndTheHandoffNote()
    {
        var lines = Texts(FlowStoryBuilder.Build(Recorded("medical-call-22a67abbf6")));

        Assert.Contains("transfer attempt 1 to Customer Service (x69187): connected", lines);
        Assert.Contains("handoff note given to the Customer Service agent (needs service)", lines);
        Assert.StartsWith("ended: connected to Customer Service after 1 attempt(s), 0.9 s", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void MedicalTransferWithAServiceRequest_TellsTheEscalationItRaised()
    {
        var lines = Texts(FlowStoryBuilder.Build(Recorded("medical-call-2d08cd9d8a")));

        Assert.Contains("severity escalation raised (escalation-SR-f638bfff23-medical-emergency@call-2d08cd9d8a)", lines);
        Assert.Contains("handoff note given to the Customer Service agent (service request in progress, service request SR-f638bfff23)", lines);
    }

    [Fact]
    public void EscalationAcknowledged_TellsTheRouteAndWhoAcknowledged()
    {
        var story = FlowStoryBuilder.Build(Recorded("escalation-JOB-3c29d8bbb8-service-delay"));

        var lines = Texts(story);
        Assert.Equal("escalation raised on service job JOB-3c29d8bbb8: service-delay / general, by agent-9", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("routed to Customer Service Escalations (normal severity): group notified, to acknowledge by 12:50:47 UTC", StringComparison.Ordinal));
        Assert.Contains(story.Entries, e => e is { Text: "acknowledged by lead-1", Kind: "person" });
        Assert.Equal(("ended: acknowledged by lead-1", "success"), (story.Entries[^1].Text, story.Entries[^1].Kind));
    }

    [Fact]
    public void MedicalEscalation_TellsTheSeverityChangeForTheClaimsSpecialist()
    {
        var lines = Texts(FlowStoryBuilder.Build(Recorded("escalation-JOB-62afd2aa87-medical-emergency")));

        Assert.Contains("service job JOB-62afd2aa87 set to severity Medical Emergency for a Claims Specialist", lines);
        Assert.Contains(lines, l => l.StartsWith("routed to the Claims Specialist queue (Medical Emergency severity)", StringComparison.Ordinal));
    }

    [Fact]
    public void CallbackClaimedByTheNextTier_TellsEachTierTheClaimAndTheCompletion()
    {
        var story = FlowStoryBuilder.Build(Recorded("callback-call-call-b2cf899274"));

        var lines = Texts(story);
        Assert.Contains(lines, l => l.StartsWith("Call Back Task opened for customer", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("supervisors asked to claim the callback by ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("managers ", StringComparison.Ordinal));
        Assert.Contains(story.Entries, e => e is { Text: "callback claimed by mgr-1", Kind: "person" });
        Assert.Contains(lines, l => l.StartsWith("callback completed by mgr-1", StringComparison.Ordinal));
        Assert.Equal("ended: callback completed by mgr-1", lines[^1]);
    }

    [Fact]
    public void CallbackCompletionMissed_EndsBreachedAsAWarning()
    {
        var story = FlowStoryBuilder.Build(Recorded("callback-call-call-4ebd5b130e"));

        Assert.Contains(story.Entries, e => e.Text.StartsWith("completion deadline ", StringComparison.Ordinal) && e.Text.EndsWith(" missed by sup-6: ops alerted", StringComparison.Ordinal));
        Assert.Equal(("ended: breached, claimed by sup-6 but not completed in time", "warning"), (story.Entries[^1].Text, story.Entries[^1].Kind));
    }

    [Fact]
    public void CallbackTransferredToASupervisor_EndsAsASuccess()
    {
        var story = FlowStoryBuilder.Build(Recorded("callback-call-call-263cda607b"));

        Assert.Contains(story.Entries, e => e.Text.StartsWith("transfer attempt 1 to a supervisor (x", StringComparison.Ordinal) && e.Text.EndsWith(": connected", StringComparison.Ordinal));
        Assert.Equal(("ended: transferred to a supervisor", "success"), (story.Entries[^1].Text, story.Entries[^1].Kind));
    }

    [Fact]
    public void RunningFlow_EndsWithWhatItWaitsForAndUntilWhen()
    {
        var story = FlowStoryBuilder.Build(Recorded("medical-call-1bfb3b482f"));

        Assert.Equal("wait", story.Entries[^1].Kind);
        Assert.Equal("waiting for Customer Service (x69187) to answer, attempt 1 of 3, since 12:21:00 UTC (until 12:23:00 UTC)", story.Entries[^1].Text);
        Assert.Equal(story.Entries[^1].Text, story.Standing);
    }

    [Fact]
    public void RunningFlowWhoseSentenceNamesItsDeadline_IsNotToldTheDeadlineTwice()
    {
        var status = Flow("SupervisorCallback", "Running");
        status["customStatus"] = new JsonObject
        {
            ["text"] = "claimed by sup-7: waiting for the callback to be completed by 2026-12-06 08:43 UTC, since 04:43:29 UTC",
            ["since"] = "2026-12-06T04:43:29Z",
            ["due"] = "2026-12-06T08:43:29Z",
        };

        var story = FlowStoryBuilder.Build(status);

        Assert.Equal("claimed by sup-7: waiting for the callback to be completed by 2026-12-06 08:43 UTC, since 04:43:29 UTC", story.Standing);
    }

    [Fact]
    public void TerminatedFlow_StandsTerminatedWithItsReason_NotAtItsLastWait()
    {
        var status = Recorded("medical-call-1bfb3b482f");
        status["runtimeStatus"] = "Terminated";
        status["output"] = "duplicate";
        ((JsonArray)status["historyEvents"]!).Add(new JsonObject { ["eventType"] = "ExecutionTerminated", ["input"] = "duplicate", ["timestamp"] = "2026-12-05T12:22:00Z" });

        var story = FlowStoryBuilder.Build(status);

        Assert.Equal("terminated by ops: duplicate", story.Standing);
        Assert.Single(story.Entries, e => e.Text.StartsWith("terminated", StringComparison.Ordinal));
        Assert.Equal("terminated by ops: duplicate", story.Entries[^1].Text);
        Assert.DoesNotContain(story.Entries, e => e.Kind == "wait");
    }

    [Theory]
    [InlineData("Terminated")]
    [InlineData("5")]
    public void TerminationFollowedByItsCompletionEvent_IsToldOnce(string orchestrationStatus)
    {
        var status = Recorded("medical-call-1bfb3b482f");
        status["runtimeStatus"] = "Terminated";
        status["output"] = "duplicate";
        var history = (JsonArray)status["historyEvents"]!;
        history.Add(new JsonObject { ["eventType"] = "ExecutionTerminated", ["input"] = "duplicate", ["timestamp"] = "2026-12-05T12:22:00Z" });
        history.Add(new JsonObject
        {
            ["eventType"] = "ExecutionCompleted", ["timestamp"] = "2026-12-05T12:22:00Z", ["result"] = "duplicate",
            ["orchestrationStatus"] = orchestrationStatus == "5" ? JsonValue.Create(5) : JsonValue.Create(orchestrationStatus),
        });

        var story = FlowStoryBuilder.Build(status);

        Assert.Single(story.Entries, e => e.Text.StartsWith("terminated", StringComparison.Ordinal));
        Assert.DoesNotContain(story.Entries, e => e.Text.StartsWith("ended", StringComparison.Ordinal));
        Assert.Equal("terminated by ops: duplicate", story.Standing);
    }

    [Fact]
    public void TerminatedFlowWhoseHistoryHasNoTerminationYet_StillEndsTerminated()
    {
        var status = Recorded("medical-call-1bfb3b482f");
        status["runtimeStatus"] = "Terminated";
        status["output"] = null;

        var story = FlowStoryBuilder.Build(status);

        Assert.Equal("terminated by ops (no reason given)", story.Standing);
        Assert.DoesNotContain(story.Entries, e => e.Kind == "wait");
    }

    [Fact]
    public void EscalationNotAcknowledged_TellsEachTierUpAndEndsNeverAcknowledged()
    {
        var status = Flow("SeverityEscalation", "Completed",
            Scheduled(1, "PublishNotificationActivity", new JsonObject
            {
                ["topic"] = "Escalations", ["messageId"] = "escalation-J1-x:tier:0", ["subject"] = "escalation.routed",
                ["body"] = new JsonObject { ["route"] = "PotentialRisk", ["severity"] = "High", ["tier"] = "group", ["acknowledgeBy"] = "2026-12-05T10:42:00Z" },
            }),
            Scheduled(2, "PublishNotificationActivity", new JsonObject
            {
                ["topic"] = "Escalations", ["messageId"] = "escalation-J1-x:tier:1", ["subject"] = "escalation.tier-up",
                ["body"] = new JsonObject { ["route"] = "PotentialRisk", ["severity"] = "High", ["tier"] = "supervisor", ["acknowledgeBy"] = "2026-12-05T10:57:00Z" },
            }),
            new JsonObject
            {
                ["eventType"] = "ExecutionCompleted", ["orchestrationStatus"] = 1, ["timestamp"] = "2026-12-05T11:30:00Z",
                ["result"] = new JsonObject { ["route"] = "PotentialRisk", ["acknowledgedBy"] = null, ["tiersNotified"] = new JsonArray("group", "supervisor", "manager", "ops") },
            });

        var story = FlowStoryBuilder.Build(status);

        var lines = Texts(story);
        Assert.Contains("routed to the Potential Risk team (high severity): group notified, to acknowledge by 10:42:00 UTC", lines);
        Assert.Contains("not acknowledged in time: supervisor tier 2 notified, to acknowledge by 10:57:00 UTC", lines);
        Assert.Equal(("ended: never acknowledged (told: group, supervisor, manager, ops)", "warning"), (story.Entries[^1].Text, story.Entries[^1].Kind));
    }

    [Fact]
    public void TransferFailedThenTheCallerHungUp_EachAttemptSaysHowItEnded()
    {
        var status = Flow("MedicalEmergencyTransfer", "Suspended",
            Scheduled(1, "SendTelephonyCommandActivity", Transfer(1)),
            new JsonObject { ["eventType"] = "TaskCompleted", ["taskScheduledId"] = 1, ["timestamp"] = "2026-12-05T10:00:01Z" },
            new JsonObject { ["eventType"] = "TimerCreated", ["eventId"] = 2, ["taskId"] = 2, ["fireAt"] = "2026-12-05T10:02:01Z", ["timestamp"] = "2026-12-05T10:00:01Z" },
            new JsonObject { ["eventType"] = "EventRaised", ["name"] = "TransferFailed", ["input"] = new JsonObject { ["reason"] = "busy" }, ["timestamp"] = "2026-12-05T10:00:30Z" },
            Scheduled(3, "SendTelephonyCommandActivity", Transfer(2)),
            new JsonObject { ["eventType"] = "TaskCompleted", ["taskScheduledId"] = 3, ["timestamp"] = "2026-12-05T10:00:31Z" },
            new JsonObject { ["eventType"] = "TimerCreated", ["eventId"] = 4, ["taskId"] = 4, ["fireAt"] = "2026-12-05T10:02:31Z", ["timestamp"] = "2026-12-05T10:00:31Z" },
            new JsonObject { ["eventType"] = "EventRaised", ["name"] = "CallEnded", ["input"] = new JsonObject { ["callId"] = "c1" }, ["timestamp"] = "2026-12-05T10:01:00Z" },
            new JsonObject { ["eventType"] = "ExecutionSuspended", ["reason"] = "stuck", ["timestamp"] = "2026-12-05T10:01:30Z" });
        status["customStatus"] = new JsonObject { ["text"] = "alerting the supervisor", ["since"] = "2026-12-05T10:01:00Z" };

        var story = FlowStoryBuilder.Build(status);

        var lines = Texts(story);
        Assert.Contains("transfer attempt 1 to Customer Service (x69187): failed (busy)", lines);
        Assert.Contains("transfer attempt 2 to Customer Service (x69187): the call ended", lines);
        Assert.Contains("the caller hung up (call ended)", lines);
        Assert.Contains(story.Entries, e => e is { Text: "suspended by ops: stuck", Kind: "person" });
        Assert.Equal("suspended; was alerting the supervisor", story.Standing);
    }

    [Fact]
    public void NotificationNeverSent_SaysSo()
    {
        var status = Flow("SupervisorCallback", "Running",
            Scheduled(4, "PublishNotificationActivity", new JsonObject
            {
                ["topic"] = "SupervisorNotifications", ["messageId"] = "callback-c1:claim-request:0:1", ["subject"] = "callback.claim-requested",
                ["body"] = new JsonObject { ["tier"] = "supervisor", ["dueTime"] = "2026-12-05T10:15:00Z" },
            }),
            new JsonObject { ["eventType"] = "TaskFailed", ["taskScheduledId"] = 4, ["timestamp"] = "2026-12-05T10:00:01Z", ["failureDetails"] = new JsonObject { ["errorType"] = "CinchFlows.Flows.Notifications.NotificationUndeliverableException" } });

        var story = FlowStoryBuilder.Build(status);

        Assert.Contains(story.Entries, e => e is { Text: "supervisors asked to claim the callback by 10:15:00 UTC — not sent (NotificationUndeliverableException)", Kind: "warning" });
    }

    [Fact]
    public void EventsNobodyKnowsAndMissingFields_BecomePlainLines_NeverAnError()
    {
        var status = Flow("SomethingNew", "Running",
            new JsonObject { ["eventType"] = "ExecutionStarted" },
            new JsonObject { ["eventType"] = "SubOrchestrationInstanceCreated", ["timestamp"] = "not a time" },
            new JsonObject { ["eventType"] = "EventRaised", ["name"] = "SomethingHappened", ["input"] = "[not json" },
            new JsonObject { ["eventType"] = "TaskScheduled", ["name"] = "SendTelephonyCommandActivity", ["taskId"] = "x", ["input"] = 5 },
            new JsonObject { ["eventType"] = "TaskCompleted", ["taskScheduledId"] = 99 },
            new JsonObject { ["eventType"] = "TaskFailed" },
            new JsonObject { ["eventType"] = "TimerFired", ["timerId"] = 3 },
            new JsonObject { ["eventType"] = "EventRaised", ["name"] = "CallbackClaimed", ["input"] = new JsonArray(1, 2) },
            new JsonObject { ["eventType"] = "PlanetAligned" },
            new JsonObject(),
            null);

        var lines = Texts(FlowStoryBuilder.Build(status));

        Assert.Contains("something new started", lines);
        Assert.Contains("event SomethingHappened received", lines);
        Assert.Contains("telephony command ? sent", lines);
        Assert.Contains("callback claimed by ?", lines);
        Assert.Contains("planet aligned", lines);
    }

    [Fact]
    public void NoHistoryAtAll_IsAnEmptyStory()
    {
        var story = FlowStoryBuilder.Build(new JsonObject { ["instanceId"] = "x", ["name"] = "MedicalEmergencyTransfer", ["runtimeStatus"] = "Pending" });

        Assert.Empty(story.Entries);
        Assert.Equal("not started yet", story.Standing);
    }

    [Theory]
    [InlineData(0.4, "1 s")]
    [InlineData(45, "45 s")]
    [InlineData(120, "2 min")]
    [InlineData(14400, "4 h")]
    [InlineData(5400, "1 h 30 min")]
    public void Duration_IsSaidAsAPersonWould(double seconds, string expected) =>
        Assert.Equal(expected, FlowStoryBuilder.Duration(TimeSpan.FromSeconds(seconds)));

    private static JsonObject Recorded(string name) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("tests", "CinchFlows.IntegrationTests", "Replay", "Histories", name + ".json")))!.AsObject();

    private static List<string> Texts(FlowStory story) => [.. story.Entries.Select(e => e.Text)];

    private static JsonObject Flow(string name, string runtimeStatus, params JsonObject?[] events) => new()
    {
        ["name"] = name,
        ["instanceId"] = "flow-1",
        ["runtimeStatus"] = runtimeStatus,
        ["historyEvents"] = new JsonArray([.. events]),
    };

    private static JsonObject Transfer(int attempt) => new()
    {
        ["type"] = "transfer.warm", ["callId"] = "c1", ["targetExtension"] = "69187", ["idempotencyKey"] = "medical-c1:transfer:" + attempt, ["note"] = "a note",
    };

    private static JsonObject Scheduled(int id, string name, JsonObject input) => new()
    {
        ["eventType"] = "TaskScheduled",
        ["name"] = name,
        ["input"] = new JsonArray(input),
        ["eventId"] = id,
        ["taskId"] = id,
        ["timestamp"] = "2026-12-05T10:00:00Z",
    };
}
