using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.Bench;

/// <summary>
/// One build in one run: a fresh Azurite, the command receiver and the service, then every measurement in turn against
/// them, then everything stopped. Storage requests are counted where they land, in Azurite's access log, so the
/// baseline and this build are measured the same way. See docs/performance.md for what each phase does and why.
/// </summary>
internal sealed class BenchRun
{
    /// <summary>The notices a waiting flow of the load phase sends first (queues of the storage-queue transport).</summary>
    public static readonly IReadOnlyList<string> NoticeKinds = ["POST escalations/messages", "POST supervisor-notifications/messages"];

    /// <summary>The note a medical-emergency flow whose transfer connected sends last (both builds): one per such flow.</summary>
    public static readonly IReadOnlyList<string> HandoffKinds = ["POST handoff-notes/messages"];

    /// <summary>
    /// How long a count of flows' notices may stand still before a wait for it gives up and says how many never came.
    /// Under a backlog on Azurite this build's progress pauses for seconds at a time, which the 3-s quiet rule mistook for
    /// the end: a 1,000-webhook ack phase was taken as settled with 674 of its flows not yet begun (2026-12-06 20:31).
    /// </summary>
    private static readonly TimeSpan CountStall = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(3);

    // After a timer comes due: up to a second of the backend's whole-second visibility, the step that takes it in, and
    // the polls its wake-up set off.
    private static readonly TimeSpan LeftoverTimersSettle = TimeSpan.FromSeconds(5);

    /// <summary>Samples in a row without progress before the service counts as quiet: one health answer that took longer than <see cref="QuietFor"/> is not quiet.</summary>
    private const int QuietSamples = 4;

    private readonly BenchOptions options;
    private readonly string repositoryRoot;
    private readonly BuildUnderTest build;
    private readonly string folder;
    private readonly int number;
    private readonly TextWriter progress;
    private readonly RunResult result;
    private readonly ConcurrentBag<Task> answers = [];
    private int healthCalls;
    private int unhealthy;

    /// <summary>Medical-emergency webhooks answered 202 so far: each flow ends with one handoff note (the platform answers every transfer in the end).</summary>
    private int medicalFlows;

    public BenchRun(BenchOptions options, string repositoryRoot, BuildUnderTest build, string folder, int number, TextWriter progress)
    {
        this.options = options;
        this.repositoryRoot = repositoryRoot;
        this.build = build;
        this.folder = folder;
        this.number = number;
        this.progress = progress;
        result = new RunResult(build.Label, number);
    }

    /// <summary>Runs every phase and returns what it measured.</summary>
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var tag = build.IsBaseline ? "baseline" : "this";
        if (options.AzuriteIndexed)
        {
            result.Notes.Add("Azurite ran with --azurite-indexed: table queries read only their partition and queue requests did not re-sort every message (as Azure Storage, not as Azurite ships)");
        }

        if (options.Includes(BenchPhases.Raw))
        {
            // On its own fresh Azurite, before the service starts: the ceiling of this run's machine, undisturbed.
            Say("starting Azurite for the raw batch rate");
            await using var rawAzurite = await Azurite.StartAsync(repositoryRoot, Path.Combine(folder, $"azurite-raw-{number}-{tag}.log"), options.AzuriteIndexed, cancellationToken).ConfigureAwait(false);
            await RawBatchRateAsync(rawAzurite.ConnectionString, cancellationToken).ConfigureAwait(false);
        }

        Say("starting Azurite");
        await using var azurite = await Azurite.StartAsync(repositoryRoot, Path.Combine(folder, $"azurite-{number}-{tag}.log"), options.AzuriteIndexed, cancellationToken).ConfigureAwait(false);
        var commandSecret = ServiceProcess.NewSecret();
        await using var receiver = await CommandReceiver.StartAsync(commandSecret, cancellationToken: cancellationToken).ConfigureAwait(false);
        Say($"starting the service ({build.DllPath})");
        await using var service = await ServiceProcess.StartAsync(
            build, azurite.ConnectionString, receiver.CommandsUri, commandSecret, options, Path.Combine(folder, $"service-{number}-{tag}.log"), cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
        using var sender = new WebhookSender(service.BaseAddress, service.WebhookSecret, http);
        using var answering = receiver.OnActed((command, _) =>
        {
            // The platform answers a transfer once it connects; flows of the timer phase leave their first attempt unanswered.
            if (command is { Type: "transfer.warm", CallId: { } callId, TargetExtension: { } extension }
                && !(callId.StartsWith("timer-", StringComparison.Ordinal) && command.IdempotencyKey.EndsWith(":transfer:1", StringComparison.Ordinal)))
            {
                answers.Add(AnswerAsync(sender, callId, extension, command.IdempotencyKey));
            }

            return Task.CompletedTask;
        });

        var probeCost = await HealthProbeCostAsync(service, azurite, cancellationToken).ConfigureAwait(false);
        result.Values["healthProbeRequests"] = probeCost;

        Say("warming up");
        await TransferLatencyAsync(sender, receiver, "warm", 3, record: false, cancellationToken).ConfigureAwait(false);
        await WaitUntilQuietAsync(service, azurite, cancellationToken).ConfigureAwait(false);

        // Each warm-up flow connected, but its connect timer stays set (a flow cannot take a timer back) and comes due
        // within ConnectTimeout: not before then is the worker idle.
        var warmUpTimersDue = DateTimeOffset.UtcNow + options.ConnectTimeout;

        if (options.Includes(BenchPhases.Idle))
        {
            await IdleAsync(azurite, warmUpTimersDue, cancellationToken).ConfigureAwait(false);
        }

        if (options.Includes(BenchPhases.Transfer))
        {
            var before = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
            var callsBefore = healthCalls;
            await TransferLatencyAsync(sender, receiver, "xfer", options.TransferSamples, record: true, cancellationToken).ConfigureAwait(false);
            await WaitUntilQuietAsync(service, azurite, cancellationToken).ConfigureAwait(false);
            var after = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
            var probes = healthCalls - callsBefore;
            result.Values["requestsPerF1Flow"] = (after.Since(before) - (probes * probeCost)) / options.TransferSamples;
            result.RequestKinds["transfer"] = after.KindsSince(before);
            await CheckFinishedAsync(service, $"medical-xfer-{number}-{options.TransferSamples - 1}", cancellationToken).ConfigureAwait(false);
            await AfterIdleTransfersAsync(sender, receiver, service, azurite, cancellationToken).ConfigureAwait(false);
        }

        if (options.Includes(BenchPhases.Timers))
        {
            await TimerLatenessAsync(sender, service, cancellationToken).ConfigureAwait(false);
        }

        if (options.Includes(BenchPhases.Ack))
        {
            await AckLatencyAsync(sender, service, azurite, cancellationToken).ConfigureAwait(false);
        }

        if (options.Includes(BenchPhases.Load))
        {
            await WaitingFlowsAsync(sender, service, azurite, probeCost, cancellationToken).ConfigureAwait(false);
        }

        if (receiver.DuplicateCount > 0)
        {
            result.Notes.Add($"the command receiver saw {receiver.DuplicateCount} repeated idempotency key(s) (answered, not acted on)");
        }

        result.Values["health503"] = unhealthy;
        if (unhealthy > 0)
        {
            result.Notes.Add($"/api/health answered 503 {unhealthy} time(s) while the service was busy (its storage check timed out)");
        }

        await Task.WhenAll(answers).ConfigureAwait(false);
        Say("stopping");
        return result;
    }

    private static async Task AnswerAsync(WebhookSender sender, string callId, string extension, string key)
    {
        using var answer = await sender.TransferConnectedAsync(callId, extension, key).ConfigureAwait(false);
    }

    // The health endpoint's own storage check costs requests too; measured at Azurite so it can be taken off.
    private async Task<double> HealthProbeCostAsync(ServiceProcess service, Azurite azurite, CancellationToken cancellationToken)
    {
        var costs = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var a = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
            await HealthAsync(service, cancellationToken).ConfigureAwait(false);
            var b = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
            costs.Add(b.Since(a));
        }

        return costs.Min();
    }

    // Under a backlog the health check's storage query can take longer than its timeout (503): that is counted, and asked again.
    private async Task<HealthTotals> HealthAsync(ServiceProcess service, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            Interlocked.Increment(ref healthCalls);
            if (await service.HealthAsync(cancellationToken).ConfigureAwait(false) is { } totals)
            {
                return totals;
            }

            unhealthy++;
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The service answered 503 on /api/health for two minutes.");
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    // Between two markers, nothing but the idle service talks to Azurite (no health check in between).
    // An idle worker has nothing due: the window begins once the warm-up flows' leftover timers have come due and been
    // taken in (LeftoverTimersSettle after the last), and counts what the worker asks of storage with no work at all.
    private async Task IdleAsync(Azurite azurite, DateTimeOffset warmUpTimersDue, CancellationToken cancellationToken)
    {
        var leftover = warmUpTimersDue + LeftoverTimersSettle - DateTimeOffset.UtcNow;
        if (leftover > TimeSpan.Zero)
        {
            Say($"idle worker: waiting {leftover.TotalSeconds:0} s until the warm-up flows' leftover connect timers have come due");
            await Task.Delay(leftover, cancellationToken).ConfigureAwait(false);
        }

        Say($"idle worker: counting storage requests for {options.IdleWindow.TotalSeconds:0} s");
        var start = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await Task.Delay(options.IdleWindow, cancellationToken).ConfigureAwait(false);
        var end = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
        var minutes = clock.Elapsed.TotalMinutes;
        result.Values["idleRequestsPerMinute"] = end.Since(start) / minutes;
        result.RequestKinds["idle"] = [.. end.KindsSince(start).Select(p => KeyValuePair.Create(p.Key, (long)Math.Round(p.Value / minutes)))];
    }

    // Transfers after the service has been quiet long enough for its queue polling to back off to the longest interval:
    // what a caller gets at 2 a.m. on a quiet night.
    private async Task AfterIdleTransfersAsync(WebhookSender sender, CommandReceiver receiver, ServiceProcess service, Azurite azurite, CancellationToken cancellationToken)
    {
        Say($"webhook → warm transfer after quiet: {options.AfterIdleSamples} flows, each after {options.AfterIdlePause.TotalSeconds:0} s quiet");
        var latencies = new List<double>();
        for (var i = 0; i < options.AfterIdleSamples; i++)
        {
            await WaitUntilQuietAsync(service, azurite, cancellationToken).ConfigureAwait(false);
            await Task.Delay(options.AfterIdlePause, cancellationToken).ConfigureAwait(false);
            latencies.Add(await OneTransferAsync(sender, receiver, $"quiet-{number}-{i}", cancellationToken).ConfigureAwait(false));
        }

        if (latencies.Count > 0)
        {
            result.Values["transfer.afterIdle"] = Percentiles.Median(latencies);
            result.Values["transfer.afterIdleMax"] = latencies.Max();
        }
    }

    // A medical-emergency flow that should have ended: say so when it has not (its requests would then be undercounted).
    private async Task CheckFinishedAsync(ServiceProcess service, string instanceId, CancellationToken cancellationToken)
    {
        var status = await service.InstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var runtimeStatus = status?["runtimeStatus"]?.GetValue<string>();
        if (runtimeStatus != "Completed")
        {
            result.Notes.Add($"{instanceId} was {runtimeStatus ?? "unknown"}, not Completed, when the transfer flows' requests were counted");
        }
    }

    private async Task TransferLatencyAsync(WebhookSender sender, CommandReceiver receiver, string prefix, int count, bool record, CancellationToken cancellationToken)
    {
        if (record)
        {
            Say($"webhook → warm transfer: {count} medical-emergency flows, one after another");
        }

        for (var i = 0; i < count; i++)
        {
            var latency = await OneTransferAsync(sender, receiver, $"{prefix}-{number}-{i}", cancellationToken).ConfigureAwait(false);
            if (record)
            {
                result.TransferLatencies.Add(latency);
            }
        }

        if (record)
        {
            result.Values["transfer.p50"] = Percentiles.Of(result.TransferLatencies, 50);
            result.Values["transfer.p99"] = Percentiles.Of(result.TransferLatencies, 99);
        }
    }

    // From just before the webhook's POST to the arrival of its transfer.warm command (both clocks are this machine's), ms.
    private async Task<double> OneTransferAsync(WebhookSender sender, CommandReceiver receiver, string callId, CancellationToken cancellationToken)
    {
        var sentAt = DateTimeOffset.UtcNow;
        using (var answer = await sender.MedicalEmergencyFlaggedAsync(callId, "agent-bench", "customer-bench", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            Expect(answer, HttpStatusCode.Accepted, "medical-emergency webhook");
            Interlocked.Increment(ref medicalFlows);
        }

        var command = await receiver.WaitForAsync(c => c.Type == "transfer.warm" && c.CallId == callId, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return (command.ReceivedAt - sentAt).TotalMilliseconds;
    }

    private async Task TimerLatenessAsync(WebhookSender sender, ServiceProcess service, CancellationToken cancellationToken)
    {
        Say($"timer lateness: {options.TimerSamples} flows whose first transfer is never answered (connect timeout {options.ConnectTimeout.TotalSeconds:0.#} s)");
        var ids = new List<string>();
        for (var i = 0; i < options.TimerSamples; i++)
        {
            var callId = $"timer-{number}-{i}";
            using (var answer = await sender.MedicalEmergencyFlaggedAsync(callId, "agent-bench", "customer-bench", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                Expect(answer, HttpStatusCode.Accepted, "medical-emergency webhook");
                Interlocked.Increment(ref medicalFlows);
            }

            ids.Add("medical-" + callId);

            // Spread the starts so the timers do not all come due in the same instant.
            await Task.Delay(97, cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTimeOffset.UtcNow + options.ConnectTimeout * 3 + TimeSpan.FromSeconds(60);
        foreach (var id in ids)
        {
            while (true)
            {
                var status = await service.InstanceAsync(id, cancellationToken).ConfigureAwait(false);
                if (status?["runtimeStatus"]?.GetValue<string>() is "Completed" or "Failed" or "Terminated")
                {
                    // A TimerFired event's own timestamp is when its message was made (with the timer); the step that
                    // took it in begins with the OrchestratorStarted before it, so that is when the timer was acted on.
                    DateTimeOffset? stepStarted = null;
                    foreach (var historyEvent in (status["historyEvents"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        var type = historyEvent["eventType"]?.GetValue<string>();
                        if (type == "OrchestratorStarted")
                        {
                            stepStarted = DateTimeOffset.Parse(historyEvent["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                        }
                        else if (type == "TimerFired" && stepStarted is { } at)
                        {
                            var due = DateTimeOffset.Parse(historyEvent["fireAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                            result.TimerLateness.Add((at - due).TotalMilliseconds);
                        }
                    }

                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"{id} did not finish in time: {status?.ToJsonString()}");
                }

                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }

        result.Values["timer.p50"] = Percentiles.Of(result.TimerLateness, 50);
        result.Values["timer.p99"] = Percentiles.Of(result.TimerLateness, 99);
        result.Values["timer.count"] = result.TimerLateness.Count;
    }

    private async Task AckLatencyAsync(WebhookSender sender, ServiceProcess service, Azurite azurite, CancellationToken cancellationToken)
    {
        var total = (int)(options.AckRate * options.AckWindow.TotalSeconds);
        Say($"webhook ack latency: {total} medical-emergency webhooks at {options.AckRate}/s (open loop)");
        var latencies = new double[total];
        var failures = 0;
        var sends = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)options.AckRate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken).ConfigureAwait(false);
            }

            var index = i;
            sends.Add(Task.Run(
                async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var answer = await sender.MedicalEmergencyFlaggedAsync($"ack-{number}-{index}", "agent-bench", "customer-bench", cancellationToken: cancellationToken).ConfigureAwait(false);
                        if (answer.StatusCode != HttpStatusCode.Accepted)
                        {
                            Interlocked.Increment(ref failures);
                        }
                        else
                        {
                            Interlocked.Increment(ref medicalFlows);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        // No answer in time (the client's 100 s timeout) or the connection broke: a failure, not the end of the run.
                        Interlocked.Increment(ref failures);
                    }

                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                },
                cancellationToken));
        }

        // The rate the webhooks were sent at (the last one left on schedule, or late if the harness could not keep up).
        var sending = clock.Elapsed.TotalSeconds + (1.0 / options.AckRate);
        await Task.WhenAll(sends).ConfigureAwait(false);
        result.Values["ack.achievedRate"] = total / sending;
        result.AckLatencies.AddRange(latencies);
        result.Values["ack.p50"] = Percentiles.Of(latencies, 50);
        result.Values["ack.p99"] = Percentiles.Of(latencies, 99);
        result.Values["ack.non202"] = failures;
        if (failures > 0)
        {
            result.Notes.Add($"{failures} webhook(s) of the ack phase were not answered 202 (errors, or no answer within 100 s); their latency counts until then");
        }

        // Before the load phase measures capacity, every flow so far must have ended: each sends one handoff note.
        Say($"waiting for the ack phase's flows to end ({medicalFlows} medical-emergency flows so far, one handoff note each)");
        var settling = Stopwatch.StartNew();
        var ended = await WaitForCountAsync(azurite, HandoffKinds, medicalFlows, cancellationToken).ConfigureAwait(false);
        result.Values["ack.settleSeconds"] = settling.Elapsed.TotalSeconds;
        if (ended < medicalFlows)
        {
            result.Notes.Add($"{medicalFlows - ended} of {medicalFlows} medical-emergency flows sent no handoff note within {CountStall.TotalMinutes:0} min of the last one: the load phase began with them still open");
        }

        await WaitUntilQuietAsync(service, azurite, cancellationToken).ConfigureAwait(false);
    }

    // Waits until Azurite has taken in `expected` requests of `kinds` since it started (one per flow, so the flows have
    // come that far), as long as the count keeps growing; returns the count reached (short of `expected` when it stood
    // still for CountStall).
    private static async Task<long> WaitForCountAsync(Azurite azurite, IReadOnlyList<string> kinds, long expected, CancellationToken cancellationToken)
    {
        var count = kinds.Sum(azurite.Requests.Count);
        var sinceChange = Stopwatch.StartNew();
        while (count < expected && sinceChange.Elapsed < CountStall)
        {
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            var now = kinds.Sum(azurite.Requests.Count);
            if (now != count)
            {
                count = now;
                sinceChange.Restart();
            }
        }

        return count;
    }

    // What this machine's Azurite can do: one entity-group transaction (replace a state row If-Match, add a history row)
    // per batch, on RawConcurrency partitions at once (docs/performance.md says why 8). A fresh Azurite (Node.js)
    // serves far fewer at first while its code warms up, so the first RawBatchWarmUp is not counted.
    private async Task RawBatchRateAsync(string connectionString, CancellationToken cancellationToken)
    {
        Say($"raw Azurite batch transactions: {options.RawConcurrency} partitions at once for {options.RawBatchWindow.TotalSeconds:0} s after {options.RawBatchWarmUp.TotalSeconds:0.#} s of warm-up");
        var table = new TableClient(connectionString, $"benchraw{number}");
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var payload = new string('x', 600);
        var count = 0L;
        var clock = Stopwatch.StartNew();
        var end = options.RawBatchWarmUp + options.RawBatchWindow;
        await Task.WhenAll(Enumerable.Range(0, options.RawConcurrency).Select(async worker =>
        {
            var partition = $"p{worker}";
            var state = new TableEntity(partition, "state") { ["status"] = "Running", ["payload"] = payload };
            var etag = (await table.AddEntityAsync(state, cancellationToken).ConfigureAwait(false)).Headers.ETag ?? ETag.All;
            for (var n = 0; clock.Elapsed < end; n++)
            {
                state["step"] = n;
                var actions = new[]
                {
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, etag),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, $"h-{n:D8}") { ["events"] = payload }),
                };
                var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                etag = response.Value[0].Headers.ETag ?? ETag.All;
                if (clock.Elapsed >= options.RawBatchWarmUp)
                {
                    Interlocked.Increment(ref count);
                }
            }
        })).ConfigureAwait(false);
        result.Values["rawBatchesPerSecond"] = count / (clock.Elapsed - options.RawBatchWarmUp).TotalSeconds;
        await table.DeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    // Capacity: the webhooks go out LoadConcurrency at a time, faster than the service starts their flows, so a backlog
    // builds; flows/s is the flows started ÷ the time until Azurite has taken in the last flow's first notice (see
    // LoadThroughput). Then, once the service is quiet, its memory with every flow waiting.
    private async Task WaitingFlowsAsync(WebhookSender sender, ServiceProcess service, Azurite azurite, double probeCost, CancellationToken cancellationToken)
    {
        Say($"load: {options.WaitingFlows} flows (supervisor callbacks and escalations) that end up waiting on timers and events, {options.LoadConcurrency} webhooks at a time"
            + (options.LoadPaceText is { } pace ? $", {pace}" : ""));
        var before = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
        var callsBefore = healthCalls;
        var clock = Stopwatch.StartNew();
        var samples = result.LoadSamples;
        var last = await SampleAsync(service, azurite, clock, samples, cancellationToken).ConfigureAwait(false);
        var noticesBefore = last.Notices;
        var failures = 0;
        var sending = SendWaitingFlowsAsync(
            sender, clock, () => Interlocked.Increment(ref failures), () => NoticesAt(azurite) - noticesBefore + Volatile.Read(ref failures), cancellationToken);
        TimeSpan? sentAt = null;
        var noticeChange = clock.Elapsed;

        // 90 minutes, or a minute for every 60 flows when more: a paced run begins about 1 flow a second on Azurite once
        // 2,000 wait (2026-12-07), as its table scans grow with the tables.
        var deadline = TimeSpan.FromMinutes(Math.Max(90, options.WaitingFlows / 60.0));

        // Until every flow started has sent its first notice (or the count stood still for CountStall), then until quiet:
        // the flows' first steps go on after the notice, and memory is read with all of them waiting.
        while (sentAt is null || (last.Notices - samples[0].Notices < options.WaitingFlows - failures && clock.Elapsed - noticeChange < CountStall))
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"The load phase's flows had not all begun within {deadline.TotalMinutes:0} minutes.");
            }

            await Task.Delay(options.LoadSampleInterval, cancellationToken).ConfigureAwait(false);
            var now = await SampleAsync(service, azurite, clock, samples, cancellationToken).ConfigureAwait(false);
            if (now.Notices != last.Notices)
            {
                noticeChange = now.At;
            }

            last = now;
            if (sentAt is null && sending.IsCompleted)
            {
                sentAt = await sending.ConfigureAwait(false);
                noticeChange = noticeChange > sentAt.Value ? noticeChange : sentAt.Value;
                Say($"sent in {sentAt.Value.TotalSeconds:0.0} s ({options.WaitingFlows / sentAt.Value.TotalSeconds:0} webhooks/s answered); waiting for every flow's first notice");
            }
        }

        await WaitUntilQuietAsync(service, azurite, cancellationToken).ConfigureAwait(false);
        var after = await azurite.RequestsNowAsync(cancellationToken).ConfigureAwait(false);
        var started = options.WaitingFlows - failures;
        var (lastNoticeAt, notices) = LoadThroughput.LastNotice(samples)
            ?? throw new InvalidOperationException($"The load phase's flows sent no notice ({string.Join(", ", NoticeKinds)}): see the service log.");
        result.Values["flowsPerSecond"] = started / lastNoticeAt.TotalSeconds;
        result.Values["waitingFlows"] = options.WaitingFlows;
        result.Values["load.seconds"] = lastNoticeAt.TotalSeconds;
        result.Values["load.notices"] = notices;
        result.Values["load.sendSeconds"] = sentAt.Value.TotalSeconds;
        result.Values["load.flowsPerSecondSent"] = options.WaitingFlows / sentAt.Value.TotalSeconds;
        result.Values["load.requestsPerFlow"] = (after.Since(before) - ((healthCalls - callsBefore) * probeCost)) / started;
        result.Values["load.non202"] = failures;
        if (options.LoadPaceText is { } paced)
        {
            result.Notes.Add($"the load phase was paced (--load-pace {options.LoadPace}): flows/s is the rate with {paced}, not with a backlog");
        }

        result.RequestKinds["load"] = after.KindsSince(before);
        if (notices != started)
        {
            result.Notes.Add(notices < started
                ? $"the load phase's {started} flows sent {notices} first notice(s), and no more for {CountStall.TotalMinutes:0} min: flows/s counts the flows that did, timed to the last notice"
                : $"the load phase's {started} flows sent {notices} first notice(s), more than one each (a notice sent again): flows/s counts flows, timed to the last notice");
        }

        if (result.Values.TryGetValue("rawBatchesPerSecond", out var raw))
        {
            result.Values["flowsRatio"] = result.Values["flowsPerSecond"] / raw;
        }

        result.Values["rssMb"] = service.ResidentBytes() / 1024d / 1024d;
        if (failures > 0)
        {
            result.Notes.Add($"{failures} webhook(s) of the load phase were not answered 202 (errors, or no answer within 100 s): fewer flows wait than the figure says");
        }
    }

    // Sends the load phase's webhooks LoadConcurrency at a time; returns when (on clock) the last was answered. With a
    // pace, webhook i waits until fewer than LoadPace of the flows before it are neither begun nor failed (done() counts
    // first notices at Azurite plus webhooks not answered 202, which start nothing).
    private async Task<TimeSpan> SendWaitingFlowsAsync(WebhookSender sender, Stopwatch clock, Action failed, Func<long> done, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.LoadConcurrency).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < options.WaitingFlows)
                {
                    while (options.LoadPace is { } pace && i - done() >= pace)
                    {
                        await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                    }

                    try
                    {
                        using var answer = i % 2 == 0
                            ? await sender.SupervisorRequestedAsync($"wait-{number}-{i}", "agent-bench", "customer-bench", supervisorAvailable: false, cancellationToken).ConfigureAwait(false)
                            : await sender.EscalationRaisedAsync($"job-{number}-{i}", "service-delay", "general", "bench", "customer", cancellationToken: cancellationToken).ConfigureAwait(false);
                        if (answer.StatusCode != HttpStatusCode.Accepted)
                        {
                            failed();
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        failed();
                    }
                }
            },
            cancellationToken))).ConfigureAwait(false);
        return clock.Elapsed;
    }

    // The first notices of waiting flows Azurite has taken in so far.
    private static long NoticesAt(Azurite azurite) => NoticeKinds.Sum(azurite.Requests.Count);

    private async Task<StepSample> SampleAsync(ServiceProcess service, Azurite azurite, Stopwatch clock, List<StepSample> samples, CancellationToken cancellationToken)
    {
        var totals = await HealthAsync(service, cancellationToken).ConfigureAwait(false);
        var sample = new StepSample(clock.Elapsed, totals.Steps, totals.Activities, NoticesAt(azurite));
        samples.Add(sample);
        return sample;
    }

    // Quiet: no step or activity for QuietFor (and QuietSamples readings), while Azurite kept answering (an Azurite that
    // stalls also stops the engine's progress, and that is not quiet). An engine on the in-memory store asks Azurite
    // nothing once its flows wait, so for it the last rule does not apply.
    private async Task WaitUntilQuietAsync(ServiceProcess service, Azurite azurite, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = await HealthAsync(service, cancellationToken).ConfigureAwait(false);
        var lastChange = clock.Elapsed;
        var requestsAtChange = azurite.Requests.Total;
        var unchanged = 0;
        var deadline = TimeSpan.FromMinutes(30);
        while (clock.Elapsed - lastChange < QuietFor || unchanged < QuietSamples || (last.EngineOnAzurite && azurite.Requests.Total == requestsAtChange))
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException("The service did not settle within 30 minutes.");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            var now = await HealthAsync(service, cancellationToken).ConfigureAwait(false);
            unchanged = now.Progress == last.Progress ? unchanged + 1 : 0;
            if (now.Progress != last.Progress)
            {
                lastChange = clock.Elapsed;
                requestsAtChange = azurite.Requests.Total;
            }

            last = now;
        }
    }

    private static void Expect(HttpResponseMessage answer, HttpStatusCode status, string what)
    {
        if (answer.StatusCode != status)
        {
            throw new InvalidOperationException($"The {what} was answered {(int)answer.StatusCode}, not {(int)status}.");
        }
    }

    private void Say(string message) => progress.WriteLine($"[bench] run {number}, {build.Label}: {message}");
}
