using System.Text;
using System.Text.Json;
using CinchFlows.Durable;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;

namespace CinchFlows.IntegrationTests.Storage;

/// <summary>
/// What every <see cref="IOrchestrationStore"/> must do, run against each implementation by a derived class: the
/// in-memory store is the reference, the Azure Storage store must behave the same against Azurite.
/// </summary>
public abstract class OrchestrationStoreContract : IAsyncLifetime
{
    private IOrchestrationStore? store;

    /// <summary>Counts the store's requests.</summary>
    protected DurableMetrics Metrics { get; } = new();

    /// <summary>The store under test, created on first use.</summary>
    protected IOrchestrationStore Store => store ??= CreateStore(Metrics);

    /// <summary>The clock the store runs on.</summary>
    protected abstract TimeProvider Time { get; }

    /// <summary>Now, on the store's clock.</summary>
    protected DateTimeOffset Now => Time.GetUtcNow();

    /// <inheritdoc/>
    public Task InitializeAsync() => Store.InitializeAsync(CancellationToken.None);

    /// <inheritdoc/>
    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CommitAsync_DuplicateCreate_ReturnsConflictAndKeepsTheFirstInstance()
    {
        var first = await CreateAsync("dup", input: "\"first\"");

        var second = await Store.CommitAsync(new InstanceCommit(NewRecord("dup", input: "\"second\"") with { HistoryChunks = 1, HistoryEventCount = 1 }, [Started("\"second\"")], null), default);

        Assert.False(second.Succeeded);
        var loaded = await LoadExistingAsync("dup");
        Assert.Equal(first, loaded.ETag);
        Assert.Equal("\"first\"", loaded.Record.Input);
        Assert.Equal("\"first\"", Assert.IsType<ExecutionStartedEvent>(Assert.Single(loaded.History)).Input);
    }

    [Fact]
    public async Task CommitAsync_StaleETag_ReturnsConflictAndChangesNeitherRowNorHistory()
    {
        var created = await CreateAsync("stale");
        var step = await StepAsync("stale", created, [Scheduled(1, "First")], r => r with { CustomStatus = "\"step-1\"" });
        var before = await LoadExistingAsync("stale");

        // Computed from the first version, as a second worker that lost the race would.
        var createdRecord = NewRecord("stale") with { HistoryChunks = 1, HistoryEventCount = 1 };
        var late = await Store.CommitAsync(
            new InstanceCommit(createdRecord with { HistoryChunks = 2, HistoryEventCount = 2, CustomStatus = "\"late\"" }, [Scheduled(1, "Late")], created),
            default);

        Assert.False(late.Succeeded);
        var after = await LoadExistingAsync("stale");
        Assert.Equal(step, after.ETag);
        AssertSameRecord(before.Record, after.Record);
        Assert.Equal(["ExecutionStartedEvent", "TaskScheduledEvent:First"], Describe(after.History));
    }

    [Fact]
    public async Task CommitAsync_UnknownInstanceWithETag_ReturnsConflict()
    {
        var created = await CreateAsync("known");

        var outcome = await Store.CommitAsync(new InstanceCommit(NewRecord("unknown") with { HistoryChunks = 1, HistoryEventCount = 1 }, [Started()], created), default);

        Assert.False(outcome.Succeeded);
        Assert.Null(await Store.GetRecordAsync("unknown", default));
    }

    [Fact]
    public async Task CommitAsync_HistoryChunkAlreadyWritten_FailsWholeStepAndKeepsTheRow()
    {
        var created = await CreateAsync("atomic");
        var before = await LoadExistingAsync("atomic");

        // Same chunk number again: the row would be accepted (its ETag matches), the chunk must not, so neither is written.
        var repeat = NewRecord("atomic") with { HistoryChunks = 1, HistoryEventCount = 2, RuntimeStatus = OrchestrationRuntimeStatus.Completed };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitAsync(new InstanceCommit(repeat, [Scheduled(1, "Again")], created), default));

        Assert.Contains("out of sequence", error.Message, StringComparison.Ordinal);

        var after = await LoadExistingAsync("atomic");
        Assert.Equal(created, after.ETag);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after.Record.RuntimeStatus);
        AssertSameRecord(before.Record, after.Record);
        Assert.Equal(["ExecutionStartedEvent"], Describe(after.History));
    }

    [Fact]
    public async Task LoadAsync_AfterManySteps_ReturnsHistoryInCommitOrder()
    {
        var etag = await CreateAsync("order");
        var expected = new List<string> { "ExecutionStartedEvent" };
        for (var step = 1; step <= 12; step++)
        {
            etag = await StepAsync("order", etag, [Scheduled(step, $"A{step}"), Scheduled(step + 100, $"B{step}")]);
            expected.AddRange([$"TaskScheduledEvent:A{step}", $"TaskScheduledEvent:B{step}"]);
            if (step == 6)
            {
                // A step that adds no events writes no chunk.
                etag = await StepAsync("order", etag, [], r => r with { CustomStatus = "\"halfway\"" });
            }
        }

        var loaded = await LoadExistingAsync("order");

        Assert.Equal(etag, loaded.ETag);
        Assert.Equal(12 + 1, loaded.Record.HistoryChunks);
        Assert.Equal(expected, Describe(loaded.History));
        Assert.Equal("\"halfway\"", loaded.Record.CustomStatus);
    }

    [Fact]
    public async Task CommitAsync_200KbInput_RoundTripsThroughLoadGetAndQuery()
    {
        var input = LargeJsonString(200_000);
        await CreateAsync("big-input", input: input);

        var loaded = await LoadExistingAsync("big-input");
        var record = await Store.GetRecordAsync("big-input", default);
        var listed = await Store.QueryAsync(new InstanceQuery(), null, default);

        Assert.Equal(input, loaded.Record.Input);
        Assert.Equal(input, Assert.IsType<ExecutionStartedEvent>(Assert.Single(loaded.History)).Input);
        Assert.Equal(input, record!.Input);
        Assert.Equal(input, Assert.Single(listed.Instances).Input);
    }

    [Fact]
    public async Task CommitAsync_200KbHistoryEvent_RoundTrips()
    {
        var result = LargeJsonString(200_000);
        var etag = await CreateAsync("big-event");
        await StepAsync("big-event", etag, [new TaskCompletedEvent(1, result) { Timestamp = Now }]);

        var loaded = await LoadExistingAsync("big-event");

        Assert.Equal(result, Assert.IsType<TaskCompletedEvent>(loaded.History[1]).Result);
    }

    [Fact]
    public async Task CommitAsync_EveryField_RoundTrips()
    {
        var record = NewRecord("fields") with
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Failed,
            Input = "{\"caller\":\"+4930123\"}",
            Output = "\"out\"",
            CustomStatus = "{\"step\":\"queue\"}",
            Failure = new TaskFailureDetails("System.TimeoutException", "agent gone", "at X", new TaskFailureDetails("Inner", "why")),
            CreatedTime = Now.AddMinutes(-3),
            LastUpdatedTime = Now,
            ParentInstanceId = "parent:1",
            HistoryChunks = 1,
            HistoryEventCount = 1,
            Outbox = [Work("m-1", "fields"), Work("m-2", "fields") with { Kind = WorkMessageKind.Activity, VisibleAt = Now.AddSeconds(30) }],
            NextTimerAt = Now.AddSeconds(30),
            WaitingFor = "event 'AgentAnswered' or timer",
            WaitingSince = Now.AddSeconds(-1),
        };
        Assert.True((await Store.CommitAsync(new InstanceCommit(record, [Started()], null), default)).Succeeded);

        var loaded = await LoadExistingAsync("fields");

        AssertSameRecord(record, loaded.Record);
        AssertSameRecord(record, (await Store.GetRecordAsync("fields", default))!);
    }

    [Fact]
    public async Task LoadAsync_UnknownInstance_ReturnsNull()
    {
        await CreateAsync("known");

        Assert.Null(await Store.LoadAsync("unknown", default));
        Assert.Null(await Store.GetRecordAsync("unknown", default));
    }

    [Fact]
    public async Task QueryAsync_ByStatus_ReturnsOnlyThoseStatuses()
    {
        await CreateAsync("s-running", OrchestrationRuntimeStatus.Running);
        await CreateAsync("s-completed", OrchestrationRuntimeStatus.Completed);
        await CreateAsync("s-failed", OrchestrationRuntimeStatus.Failed);
        await CreateAsync("s-pending", OrchestrationRuntimeStatus.Pending);

        var page = await Store.QueryAsync(new InstanceQuery { RuntimeStatus = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed] }, null, default);

        Assert.Equal(["s-completed", "s-failed"], page.Instances.Select(r => r.InstanceId));
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task QueryAsync_ByCreatedRange_IncludesBothEnds()
    {
        var start = Now.AddHours(-1);
        for (var i = 0; i < 4; i++)
        {
            await CreateAsync($"c-{i}", created: start.AddMinutes(i));
        }

        var page = await Store.QueryAsync(new InstanceQuery { CreatedFrom = start.AddMinutes(1), CreatedTo = start.AddMinutes(2) }, null, default);

        Assert.Equal(["c-1", "c-2"], page.Instances.Select(r => r.InstanceId));
    }

    [Fact]
    public async Task QueryAsync_ByIdPrefix_ReturnsOnlyIdsStartingWithIt()
    {
        foreach (var id in new[] { "cal", "call-1", "call-2", "call.3", "callback-1", "other-call-1" })
        {
            await CreateAsync(id);
        }

        var page = await Store.QueryAsync(new InstanceQuery { InstanceIdPrefix = "call-" }, null, default);

        Assert.Equal(["call-1", "call-2"], page.Instances.Select(r => r.InstanceId));
    }

    [Fact]
    public async Task QueryAsync_PagedByThree_ReturnsEveryInstanceOnceInFullPages()
    {
        var ids = Enumerable.Range(1, 7).Select(i => $"page-{i:D2}").ToList();
        foreach (var id in ids)
        {
            await CreateAsync(id);
        }

        var (seen, pageSizes) = await ReadAllPagesAsync(new InstanceQuery { PageSize = 3 });

        Assert.Equal(ids, seen);
        Assert.Equal([3, 3, 1], pageSizes);
    }

    [Fact]
    public async Task QueryAsync_PagedWithStatusFilter_SkipsOthersWithoutGaps()
    {
        var running = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            var id = $"mixed-{i:D2}";
            var status = i % 3 == 0 ? OrchestrationRuntimeStatus.Completed : OrchestrationRuntimeStatus.Running;
            await CreateAsync(id, status);
            if (status == OrchestrationRuntimeStatus.Running)
            {
                running.Add(id);
            }
        }

        var (seen, pageSizes) = await ReadAllPagesAsync(new InstanceQuery { PageSize = 2, RuntimeStatus = [OrchestrationRuntimeStatus.Running] });

        Assert.Equal(running, seen);
        Assert.All(pageSizes.SkipLast(1), size => Assert.Equal(2, size));
    }

    [Fact]
    public async Task QueryAsync_WithoutInputsAndOutputs_LeavesPayloadsOutButKeepsTheRest()
    {
        var record = NewRecord("summary", input: "\"in\"") with
        {
            Output = "\"out\"",
            CustomStatus = "\"custom\"",
            HistoryChunks = 1,
            HistoryEventCount = 1,
            Outbox = [Work("m-1", "summary")],
            WaitingFor = "timer",
        };
        await Store.CommitAsync(new InstanceCommit(record, [Started()], null), default);

        var listed = Assert.Single((await Store.QueryAsync(new InstanceQuery { FetchInputsAndOutputs = false }, null, default)).Instances);

        Assert.Null(listed.Input);
        Assert.Null(listed.Output);
        Assert.Null(listed.CustomStatus);
        AssertSameRecord(record with { Input = null, Output = null, CustomStatus = null }, listed);
    }

    [Fact]
    public async Task PurgeAsync_ExistingInstance_DeletesRowAndHistory()
    {
        var etag = await CreateAsync("purge-me");
        await StepAsync("purge-me", etag, [Scheduled(1, "Old")]);

        var purged = await Store.PurgeAsync("purge-me", default);

        Assert.Equal(1, purged);
        Assert.Null(await Store.LoadAsync("purge-me", default));
        Assert.Null(await Store.GetRecordAsync("purge-me", default));

        // Chunk 0 is free again, so no history row was left behind.
        await CreateAsync("purge-me", input: "\"again\"");
        Assert.Equal(["ExecutionStartedEvent"], Describe((await LoadExistingAsync("purge-me")).History));
    }

    [Fact]
    public async Task PurgeAsync_UnknownInstance_ReturnsZero()
    {
        await CreateAsync("keep");

        Assert.Equal(0, await Store.PurgeAsync("unknown", default));
        Assert.NotNull(await Store.GetRecordAsync("keep", default));
    }

    [Fact]
    public async Task FindSweepCandidatesAsync_FindsStaleOutboxesOfAllAndDueTimersOfLiveInstances()
    {
        var now = Now;
        await CreateAsync("stale-outbox", configure: r => r with { LastUpdatedTime = now.AddMinutes(-10), Outbox = [Work("m-1", "stale-outbox")] });
        await CreateAsync("fresh-outbox", configure: r => r with { LastUpdatedTime = now, Outbox = [Work("m-2", "fresh-outbox")] });
        await CreateAsync("due-timer", configure: r => r with { NextTimerAt = now.AddSeconds(5) });
        await CreateAsync("later-timer", configure: r => r with { NextTimerAt = now.AddHours(1) });
        await CreateAsync("idle", configure: r => r with { LastUpdatedTime = now.AddMinutes(-10) });

        // A finished child may still owe its parent a message; a finished instance's timers no longer matter.
        await CreateAsync("finished-outbox", OrchestrationRuntimeStatus.Completed, configure: r => r with { LastUpdatedTime = now.AddMinutes(-10), Outbox = [Work("m-3", "finished-outbox")] });
        await CreateAsync("finished-timer", OrchestrationRuntimeStatus.Failed, configure: r => r with { LastUpdatedTime = now.AddMinutes(-10), NextTimerAt = now.AddSeconds(5) });

        var found = await Store.FindSweepCandidatesAsync(now.AddMinutes(-1), now.AddSeconds(10), default);

        Assert.Equal(["due-timer", "finished-outbox", "stale-outbox"], found.Select(r => r.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal("m-1", Assert.Single(found.Single(r => r.InstanceId == "stale-outbox").Outbox).Id);
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_CurrentETag_RemovesOnlyThoseMessages()
    {
        var etag = await CreateAsync("outbox", configure: r => r with { Outbox = [Work("m-1", "outbox"), Work("m-2", "outbox")] });

        var newETag = await Store.RemoveFromOutboxAsync((await LoadExistingAsync("outbox")).Record, etag, ["m-1"], default);

        Assert.NotNull(newETag);
        Assert.NotEqual(etag, newETag);
        var loaded = await LoadExistingAsync("outbox");
        Assert.Equal(newETag, loaded.ETag);
        Assert.Equal(["m-2"], loaded.Record.Outbox.Select(m => m.Id));
        Assert.Equal(["ExecutionStartedEvent"], Describe(loaded.History));
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_StaleETag_ReturnsNullAndKeepsTheOutbox()
    {
        var created = await CreateAsync("outbox", configure: r => r with { Outbox = [Work("m-1", "outbox")] });
        var createdRecord = (await LoadExistingAsync("outbox")).Record;
        var current = await StepAsync("outbox", created, [Scheduled(1, "Next")], r => r with { Outbox = [Work("m-1", "outbox"), Work("m-2", "outbox")] });

        var result = await Store.RemoveFromOutboxAsync(createdRecord, created, ["m-1", "m-2"], default);

        Assert.Null(result);
        var loaded = await LoadExistingAsync("outbox");
        Assert.Equal(current, loaded.ETag);
        Assert.Equal(["m-1", "m-2"], loaded.Record.Outbox.Select(m => m.Id));
    }

    [Fact]
    public async Task CommitAsync_OneStep_CostsExactlyOneStorageRequest()
    {
        var etag = await CreateAsync("cost");
        var next = NewRecord("cost") with { HistoryChunks = 2, HistoryEventCount = 2, Outbox = [Work("m-1", "cost")] };
        var before = Metrics.StorageRequests;

        var outcome = await Store.CommitAsync(new InstanceCommit(next, [Scheduled(1, "Work")], etag), default);

        Assert.True(outcome.Succeeded);
        Assert.Equal(1, Metrics.StorageRequests - before);
    }

    [Fact]
    public async Task LoadAsync_SmallInstance_CostsExactlyOneStorageRequest()
    {
        var etag = await CreateAsync("cost");
        await StepAsync("cost", etag, [Scheduled(1, "Work")]);
        var before = Metrics.StorageRequests;

        var loaded = await Store.LoadAsync("cost", default);

        Assert.Equal(2, loaded!.History.Count);
        Assert.Equal(1, Metrics.StorageRequests - before);
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_CostsExactlyOneStorageRequest()
    {
        var etag = await CreateAsync("cost", configure: r => r with { Outbox = [Work("m-1", "cost")] });
        var record = (await LoadExistingAsync("cost")).Record;
        var before = Metrics.StorageRequests;

        Assert.NotNull(await Store.RemoveFromOutboxAsync(record, etag, ["m-1"], default));

        Assert.Equal(1, Metrics.StorageRequests - before);
    }

    [Fact]
    public async Task SendAsync_ThenReceive_DeliversTheMessageOnceUntilDeleted()
    {
        var sent = Work("msg-1", "call-7") with { Kind = WorkMessageKind.Activity };
        await Store.SendAsync(sent, default);

        var received = Assert.Single(await Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));
        Assert.Equal(1, received.DequeueCount);
        Assert.Null(received.ReadError);
        Assert.Equal("msg-1", received.Message!.Id);
        Assert.Equal(WorkMessageKind.Activity, received.Message.Kind);
        Assert.Equal("call-7", received.Message.InstanceId);
        Assert.Equal("Ping", Assert.IsType<EventRaisedEvent>(received.Message.Event).Name);
        Assert.Empty(await Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));

        await Store.DeleteAsync(received, default);
        await Store.DeleteAsync(received, default);

        Assert.Equal(0, await WorkQueueLengthAsync());
    }

    [Fact]
    public async Task SendAsync_VisibleAtInTwoSeconds_IsReceivedOnlyOnceThatTimeHasPassed()
    {
        var visibleAt = Now.AddSeconds(2);
        await Store.SendAsync(Work("timer-1", "call-1") with { VisibleAt = visibleAt }, default);

        Assert.Empty(await Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));
        var received = await EventuallyReceiveAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("timer-1", received.Message!.Id);

        // Azure counts delays in whole seconds and the store rounds down: up to a second early is the contract (the
        // worker holds an early timer message until its exact time; see OrchestrationWorker.HandleEarlyTimerAsync).
        Assert.True(Now >= visibleAt.AddSeconds(-1), $"Received at {Now:O}, more than a second before {visibleAt:O}.");
    }

    [Fact]
    public async Task ReleaseAsync_WithDelay_MakesTheMessageVisibleAgainLater()
    {
        await Store.SendAsync(Work("retry-1", "call-1"), default);
        var first = Assert.Single(await Store.ReceiveAsync(1, TimeSpan.FromMinutes(5), default));
        var releasedAt = Now;

        await Store.ReleaseAsync(first, TimeSpan.FromSeconds(1), default);

        Assert.Empty(await Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));
        var again = await EventuallyReceiveAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("retry-1", again.Message!.Id);
        Assert.Equal(2, again.DequeueCount);
        Assert.Equal(first.RawBody, again.RawBody);
        Assert.True(Now >= releasedAt.AddSeconds(1), "Released message came back before its delay.");
    }

    [Fact]
    public async Task ReceiveAsync_AfterVisibilityTimeoutLapses_RedeliversWithHigherDequeueCount()
    {
        await Store.SendAsync(Work("lost-1", "call-1"), default);
        var first = Assert.Single(await Store.ReceiveAsync(1, TimeSpan.FromSeconds(1), default));

        var second = await EventuallyReceiveAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(first.Message!.Id, second.Message!.Id);
        Assert.Equal(first.DequeueCount + 1, second.DequeueCount);
    }

    [Fact]
    public async Task MoveToPoisonAsync_ThenPeek_ShowsTheReasonAndRemovesTheMessage()
    {
        await Store.SendAsync(Work("bad-1", "call-9"), default);
        var received = Assert.Single(await Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), default));

        await Store.MoveToPoisonAsync(received, "Activity kept throwing: boom", default);

        var poisoned = Assert.Single(await Store.PeekPoisonAsync(32, default));
        Assert.Equal("bad-1", poisoned.MessageId);
        Assert.Equal("call-9", poisoned.InstanceId);
        Assert.Equal("Activity kept throwing: boom", poisoned.Reason);
        Assert.Equal(received.RawBody, poisoned.Body);
        Assert.Equal(0, await WorkQueueLengthAsync());
        Assert.Single(await Store.PeekPoisonAsync(32, default));
    }

    [Fact]
    public async Task ReceiveAsync_ForeignBody_ReturnsNoMessageButAReadError()
    {
        await SendRawAsync("hello, this is not a work message");

        var received = Assert.Single(await Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));

        Assert.Null(received.Message);
        Assert.NotNull(received.ReadError);
        Assert.Equal("hello, this is not a work message", received.RawBody);
        await Store.MoveToPoisonAsync(received, received.ReadError, default);
        var poisoned = Assert.Single(await Store.PeekPoisonAsync(32, default));
        Assert.Null(poisoned.MessageId);
        Assert.Equal("hello, this is not a work message", poisoned.Body);
    }

    /// <summary>Creates the store under test, counting requests into <paramref name="metrics"/>.</summary>
    protected abstract IOrchestrationStore CreateStore(DurableMetrics metrics);

    /// <summary>Lets a little time pass on the store's clock (a fake clock advances; a real one waits).</summary>
    protected abstract Task LetTimePassAsync(TimeSpan step);

    /// <summary>Puts a body on the work queue the way a foreign producer would.</summary>
    protected abstract Task SendRawAsync(string body);

    /// <summary>Messages on the work queue, visible or not.</summary>
    protected abstract Task<int> WorkQueueLengthAsync();

    /// <summary>A Running instance record (no history yet).</summary>
    protected InstanceRecord NewRecord(string id, OrchestrationRuntimeStatus status = OrchestrationRuntimeStatus.Running, string? input = null, DateTimeOffset? created = null) =>
        new()
        {
            InstanceId = id,
            Name = "WarmTransfer",
            RuntimeStatus = status,
            Input = input,
            CreatedTime = created ?? Now,
            LastUpdatedTime = created ?? Now,
        };

    /// <summary>Creates an instance with one history event; returns its ETag.</summary>
    protected async Task<string> CreateAsync(
        string id,
        OrchestrationRuntimeStatus status = OrchestrationRuntimeStatus.Running,
        string? input = null,
        DateTimeOffset? created = null,
        Func<InstanceRecord, InstanceRecord>? configure = null)
    {
        var record = NewRecord(id, status, input, created) with { HistoryChunks = 1, HistoryEventCount = 1 };
        record = configure?.Invoke(record) ?? record;
        var outcome = await Store.CommitAsync(new InstanceCommit(record, [Started(input)], null), default);
        Assert.True(outcome.Succeeded, $"Creating '{id}' conflicted.");
        return outcome.NewETag!;
    }

    /// <summary>Commits one step on top of the current row; returns the new ETag.</summary>
    protected async Task<string> StepAsync(string id, string etag, IReadOnlyList<HistoryEvent> events, Func<InstanceRecord, InstanceRecord>? change = null)
    {
        var current = await Store.GetRecordAsync(id, default) ?? throw new InvalidOperationException($"'{id}' does not exist.");
        var next = current with
        {
            HistoryChunks = current.HistoryChunks + (events.Count > 0 ? 1 : 0),
            HistoryEventCount = current.HistoryEventCount + events.Count,
            LastUpdatedTime = Now,
        };
        next = change?.Invoke(next) ?? next;
        var outcome = await Store.CommitAsync(new InstanceCommit(next, events, etag), default);
        Assert.True(outcome.Succeeded, $"Step on '{id}' conflicted.");
        return outcome.NewETag!;
    }

    /// <summary>Loads an instance that must exist.</summary>
    protected async Task<InstanceSnapshot> LoadExistingAsync(string id) =>
        await Store.LoadAsync(id, default) ?? throw new InvalidOperationException($"'{id}' does not exist.");

    /// <summary>An execution-started event.</summary>
    protected ExecutionStartedEvent Started(string? input = null) => new("WarmTransfer", input) { Timestamp = Now };

    /// <summary>A task-scheduled event.</summary>
    protected TaskScheduledEvent Scheduled(int taskId, string name) => new(taskId, name, null) { Timestamp = Now };

    /// <summary>An orchestration work message carrying an external event.</summary>
    protected WorkMessage Work(string id, string instanceId) =>
        new(id, WorkMessageKind.Orchestration, instanceId, new EventRaisedEvent("Ping", "{\"n\":1}") { Timestamp = Now, MessageId = id });

    /// <summary>Compares records through their JSON (records hold lists, which compare by reference).</summary>
    protected static void AssertSameRecord(InstanceRecord expected, InstanceRecord actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, DurableJson.Options), JsonSerializer.Serialize(actual, DurableJson.Options));

    /// <summary>Event types, with the activity name for scheduled tasks.</summary>
    protected static List<string> Describe(IEnumerable<HistoryEvent> history) =>
        [.. history.Select(e => e is TaskScheduledEvent s ? $"{nameof(TaskScheduledEvent)}:{s.Name}" : e.GetType().Name)];

    /// <summary>A JSON string of about <paramref name="length"/> characters, with accents and emoji (surrogate pairs) throughout.</summary>
    protected static string LargeJsonString(int length)
    {
        var text = new StringBuilder(length + 16).Append('"');
        while (text.Length < length)
        {
            text.Append("Anruf wartet – Rückruf 📞 ");
        }

        return text.Append('"').ToString();
    }

    /// <summary>Receives one message, letting time pass until one is visible or <paramref name="within"/> has passed.</summary>
    protected async Task<ReceivedMessage> EventuallyReceiveAsync(TimeSpan within)
    {
        var deadline = Now + within;
        while (true)
        {
            if ((await Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), default)).SingleOrDefault() is { } received)
            {
                return received;
            }

            Assert.True(Now < deadline, $"No message became visible within {within}.");
            await LetTimePassAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task<(List<string> Ids, List<int> PageSizes)> ReadAllPagesAsync(InstanceQuery query)
    {
        var ids = new List<string>();
        var sizes = new List<int>();
        string? token = null;
        do
        {
            var page = await Store.QueryAsync(query, token, default);
            ids.AddRange(page.Instances.Select(r => r.InstanceId));
            sizes.Add(page.Instances.Count);
            token = page.ContinuationToken;
            Assert.True(sizes.Count < 20, "Paging does not end.");
        }
        while (token is not null);

        return (ids, sizes);
    }
}
