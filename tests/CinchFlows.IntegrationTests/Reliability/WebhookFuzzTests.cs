using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Web.Webhooks;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.IntegrationTests.Webhooks;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// Fuzz: mutated, oversized, wrongly typed, forged, stale and replayed webhooks against the real host on Azurite, with
/// good ones interleaved. Zero 5xx, every bad one a 4xx, no flow started by a bad one, every good one's flow started,
/// replays answered as the first time, health still 200. One exception, as the platform would treat it: a 503 "Storage
/// is not reachable" (storage timed out: "deliver the webhook again later", as in the storage outage) is delivered
/// again, and counted in the report; on a saturated Azurite a request can wait past the storage client's timeouts. Any
/// other 5xx fails the run.
/// Fixed seed (printed), size from <see cref="ReliabilitySizes"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// How long one answer may take before the run gives up on it. Generous: a slow answer is reported (the latency
    /// figures), not taken for a failure; only a 5xx or a wrong answer is one.
    /// </summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(120);

    private const string MedicalType = "com.cinch.call.medical-emergency.flagged";
    private static readonly byte[] Key = StandardWebhookSignature.DecodeSecret(TelephonyHostedApp.Secret);
    private static readonly byte[] WrongKey = StandardWebhookSignature.DecodeSecret("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("not the service's secret")));

    private static readonly string[] Mutations =
    [
        "bit-flip", "truncated", "field-deleted", "envelope-field-deleted", "wrong-type", "data-wrong-type", "huge-string",
        "long-id", "bad-id-characters", "deep-nesting", "wrong-content-type", "no-content-type", "oversized", "forged",
        "garbage-signature", "missing-headers", "stale", "future", "privacy-field", "unknown-type", "unknown-reason",
        "not-json", "empty-body", "unknown-call",
    ];

    [Fact]
    public async Task Hostile_webhooks_get_4xx_start_nothing_and_leave_the_service_healthy()
    {
        // An Azurite of its own: Azurite holds every earlier test's data in one process and its queues and tables cost
        // more with it, so on the shared one this run's figures would depend on what ran before.
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await RunAsync(azurite);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private async Task RunAsync(AzuriteFixture azurite)
    {
        var size = ReliabilitySizes.FuzzRequests;
        var seed = ReliabilitySizes.FuzzSeed;
        output.WriteLine($"fuzz seed {seed} (replay: CINCHFLOWS_FUZZ_SEED={seed} CINCHFLOWS_FUZZ_REQUESTS={size})");
        var report = new ReliabilityReport("fuzz", $"Fuzz: {size} webhook requests, seed {seed}");
        var passed = false;
        var hub = azurite.NewTaskHub();
        await using var app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = AnswerTimeout };
        var latencies = new ConcurrentBag<(bool Good, double Ms)>();
        var random = new Random(seed);
        var run = hub[^6..];
        var requests = new List<FuzzRequest>(size);
        var good = new List<FuzzRequest>();
        var before = await InstanceIdsAsync(app);
        var answers = new ConcurrentDictionary<int, (HttpStatusCode Status, string Body)>();
        var clock = Stopwatch.StartNew();
        try
        {
            // Built a block of ten at a time, just before it is sent, so "now" in a signature is the sending time (a
            // long run must not turn good requests stale); the seed still fixes every choice. Good requests go first
            // in their block, so a replay's original has its answer.
            for (var blockStart = 0; blockStart < size; blockStart += 10)
            {
                var block = new List<FuzzRequest>();
                for (var i = blockStart; i < Math.Min(size, blockStart + 10); i++)
                {
                    if (i % 10 == 0)
                    {
                        var request = Good(run, i);
                        block.Add(request);
                        good.Add(request);
                    }
                    else if (i % 10 == 5 && good.Count > 0)
                    {
                        // A replay: the same webhook-id again (signed now, as a platform's retry is), sometimes with another
                        // validly signed body; answered as the first time.
                        var first = good[random.Next(good.Count)];
                        block.Add(Replay(first, run, i, sameBody: random.Next(2) == 0));
                    }
                    else
                    {
                        block.Add(Bad(random, run, i, Mutations[random.Next(Mutations.Length)]));
                    }
                }

                requests.AddRange(block);
                foreach (var request in block.Where(r => r.Kind == "good"))
                {
                    answers[request.Index] = await SendDeliveringAgainAsync(http, request, latencies);
                }

                await Parallel.ForEachAsync(block.Where(r => r.Kind != "good"), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
                    answers[request.Index] = await SendDeliveringAgainAsync(http, request, latencies));
            }

            var elapsed = clock.Elapsed;
            var failures = new List<string>();
            foreach (var request in requests)
            {
                var (status, body) = answers[request.Index];
                var code = (int)status;
                if (code >= 500)
                {
                    failures.Add($"#{request.Index} {request.Kind}: {code} {body}");
                }
                else if (request.Kind == "good" && status != HttpStatusCode.Accepted)
                {
                    failures.Add($"#{request.Index} good: {code} {body}");
                }
                else if (request.ReplayOf is { } first && (status, body) != answers[first.Index])
                {
                    failures.Add($"#{request.Index} {request.Kind}: {code} {body}, but the first answer was {(int)answers[first.Index].Status} {answers[first.Index].Body}");
                }
                else if (request.ReplayOf is null && request.Kind != "good" && code is < 400 or >= 500)
                {
                    failures.Add($"#{request.Index} {request.Kind}: {code} {body}");
                }
            }

            var after = await InstanceIdsAsync(app);
            var started = after.Except(before).ToHashSet(StringComparer.Ordinal);
            // Each good request starts its F1; an F1 whose transfer is never answered opens its callback (F3) later,
            // which on a slow run falls inside the window. Any flow of a good call is expected; any other is not.
            var expected = good.Select(g => BusinessKeys.MedicalEmergencyTransfer(g.CallId!)).ToHashSet(StringComparer.Ordinal);
            var ofGoodCalls = good.SelectMany(g => BusinessKeys.FlowsOfCall(g.CallId!)).ToHashSet(StringComparer.Ordinal);
            var unexpected = started.Except(ofGoodCalls).ToList();
            var missing = expected.Except(started).ToList();
            if (unexpected.Count > 0)
            {
                failures.Add($"flows started by bad requests: {string.Join(", ", unexpected.Take(20))}");
            }

            if (missing.Count > 0)
            {
                failures.Add($"good requests whose flow did not start: {string.Join(", ", missing.Take(20))}");
            }

            // Healthy again: at once on a quiet machine; the health probe's storage round trip can time out while the
            // flows the good requests started still keep Azurite busy, so it is given a minute (the figure says how long).
            var healthWatch = Stopwatch.StartNew();
            var healthy = true;
            try
            {
                await Eventually.WaitUntilAsync(
                    async () =>
                    {
                        using var health = await http.GetAsync("/api/health");
                        return health.StatusCode == HttpStatusCode.OK;
                    },
                    TimeSpan.FromMinutes(1),
                    "/api/health to answer 200 after the run");
            }
            catch (TimeoutException)
            {
                healthy = false;
                failures.Add("health after the run: not 200 within 1 min");
            }

            report.Add("seed", seed);
            report.Add("requests", size);
            report.Add("good (interleaved)", good.Count);
            report.Add("replays", requests.Count(r => r.ReplayOf is not null));
            report.Add("bad", requests.Count(r => r.Kind != "good" && r.ReplayOf is null));
            report.Add("answers by status", string.Join(", ", answers.Values.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
            report.Add("bad requests by mutation", string.Join(", ", requests.Where(r => r.Kind != "good" && r.ReplayOf is null).GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
            report.Add("5xx", answers.Values.Count(a => (int)a.Status >= 500));
            report.Add("503 \"Storage is not reachable\", delivered again (as a platform does)", storageRetries.IsEmpty ? "0" : string.Join(", ", storageRetries.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
            report.Add("flows started", started.Count);
            report.Add("callbacks opened by good calls' flows", started.Count(id => ofGoodCalls.Contains(id) && !expected.Contains(id)));
            report.Add("flows started by bad requests", unexpected.Count);
            report.Add("health 200 after the run", healthy ? (object)healthWatch.Elapsed : "not within 1 min");
            report.Add("duration", elapsed);
            report.Add("requests/s", size / elapsed.TotalSeconds);
            AddLatencies(report, "good requests' answer", latencies.Where(l => l.Good).Select(l => l.Ms));
            AddLatencies(report, "bad requests' answer", latencies.Where(l => !l.Good).Select(l => l.Ms));
            foreach (var failure in failures.Take(50))
            {
                report.Anomaly(failure);
            }

            Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} problem(s):\n{string.Join("\n", failures.Take(30))}");
            passed = true;
        }
        finally
        {
            if (!passed && !report.Has("duration"))
            {
                // Cut short (an answer never came): what was done until then.
                report.Add("answers received before it stopped", answers.Count);
                report.Add("stopped after", clock.Elapsed);
                AddLatencies(report, "good requests' answer", latencies.Where(l => l.Good).Select(l => l.Ms));
                AddLatencies(report, "bad requests' answer", latencies.Where(l => !l.Good).Select(l => l.Ms));
            }

            report.Write(output, passed);
        }
    }

    private static async Task<HashSet<string>> InstanceIdsAsync(TelephonyHostedApp app)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var instance in app.Durable.GetAllInstancesAsync(new Microsoft.DurableTask.Client.OrchestrationQuery { FetchInputsAndOutputs = false, PageSize = 1000 }))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }

    private static void AddLatencies(ReliabilityReport report, string what, IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return;
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        report.Add($"{what}, median / p99 / max (ms)", string.Create(CultureInfo.InvariantCulture, $"{At(0.5):0} / {At(0.99):0} / {sorted[^1]:0}"));
    }

    /// <summary>How long a request answered 503 "Storage is not reachable" keeps being delivered again.</summary>
    private static readonly TimeSpan StorageRetryDeadline = TimeSpan.FromMinutes(2);

    /// <summary>Requests answered 503 "Storage is not reachable" and delivered again, by kind.</summary>
    private readonly ConcurrentDictionary<string, int> storageRetries = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends <paramref name="request"/> and, while it is answered 503 "Storage is not reachable", sends it again (the same
    /// bytes and signature, as a platform's redelivery within the signature's tolerance) after the answer's
    /// <c>Retry-After</c>, for up to <see cref="StorageRetryDeadline"/>. Any other answer is final.
    /// </summary>
    private async Task<(HttpStatusCode, string)> SendDeliveringAgainAsync(HttpClient http, FuzzRequest request, ConcurrentBag<(bool Good, double Ms)> latencies)
    {
        var deadline = DateTime.UtcNow + StorageRetryDeadline;
        while (true)
        {
            var (status, body, retryAfter) = await SendAsync(http, request, latencies);
            if (status != HttpStatusCode.ServiceUnavailable || !body.Contains("Storage is not reachable", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return (status, body);
            }

            storageRetries.AddOrUpdate(request.ReplayOf is null ? request.Kind : "replay", 1, (_, n) => n + 1);
            await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)> SendAsync(HttpClient http, FuzzRequest request, ConcurrentBag<(bool Good, double Ms)> latencies)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/telephony/events") { Content = new ByteArrayContent(request.Body) };
        if (request.ContentType is not null)
        {
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        latencies.Add((request.Kind == "good", watch.Elapsed.TotalMilliseconds));
        return (response.StatusCode, body, response.Headers.RetryAfter?.Delta);
    }

    private static FuzzRequest Good(string run, int index)
    {
        var callId = $"fuzz-{run}-{index}";
        var id = $"msg_fuzz_{run}_{index}";
        var body = Event(MedicalType, new JsonObject { ["callId"] = callId, ["agentId"] = "agent-1", ["customerId"] = "cust-1" }, id);
        return new FuzzRequest(index, "good", body, Signed(id, Now(), body), "application/cloudevents+json") { CallId = callId };
    }

    private static FuzzRequest Replay(FuzzRequest first, string run, int index, bool sameBody)
    {
        var id = first.Headers["webhook-id"];
        var body = sameBody
            ? first.Body
            : Event(MedicalType, new JsonObject { ["callId"] = $"fuzz-{run}-replayed-{index}", ["agentId"] = "agent-1", ["customerId"] = "cust-1" }, id);
        return new FuzzRequest(index, sameBody ? "replay" : "replay-other-body", body, Signed(id, Now(), body), "application/cloudevents+json") { ReplayOf = first };
    }

    /// <summary>A request that must be refused with a 4xx; every mutation keeps the flow it names unique to this request.</summary>
    private static FuzzRequest Bad(Random random, string run, int index, string kind)
    {
        var id = $"msg_bad_{run}_{index}";
        var callId = $"bad-{run}-{index}";
        var data = new JsonObject { ["callId"] = callId, ["agentId"] = "agent-1", ["customerId"] = "cust-1" };
        var type = MedicalType;
        var timestamp = Now();
        var contentType = "application/cloudevents+json";
        byte[]? body = null;
        Func<byte[], Dictionary<string, string>>? sign = null;
        switch (kind)
        {
            case "bit-flip":
                // Flipped after signing: the signature no longer matches.
                body = Event(type, data, id);
                var signed = Signed(id, timestamp, body);
                var at = random.Next(body.Length);
                body[at] ^= (byte)(1 << random.Next(8));
                return new FuzzRequest(index, kind, body, signed, contentType);
            case "truncated":
                var whole = Event(type, data, id);
                body = whole[..random.Next(1, whole.Length - 1)];
                break;
            case "field-deleted":
                data.Remove(Pick(random, "callId", "agentId", "customerId"));
                break;
            case "envelope-field-deleted":
                var envelope = JsonNode.Parse(Event(type, data, id))!.AsObject();
                envelope.Remove(Pick(random, "type", "specversion", "id", "source", "data"));
                body = Encoding.UTF8.GetBytes(envelope.ToJsonString());
                break;
            case "wrong-type":
                data[Pick(random, "callId", "agentId", "customerId")] = WrongValue(random);
                break;
            case "data-wrong-type":
                var wrongData = JsonNode.Parse(Event(type, data, id))!.AsObject();
                wrongData["data"] = WrongValue(random);
                body = Encoding.UTF8.GetBytes(wrongData.ToJsonString());
                break;
            case "huge-string":
                data["customerId"] = new string('x', random.Next(30_000, 60_000));
                break;
            case "long-id":
                data["callId"] = callId + new string('9', random.Next(80, 400));
                break;
            case "bad-id-characters":
                data["callId"] = callId + Pick(random, " ", "/", "<script>", "\u0000", "é", "%2F", "\n");
                break;
            case "deep-nesting":
                var depth = random.Next(100, 3000);
                body = Encoding.UTF8.GetBytes(
                    $"{{\"specversion\":\"1.0\",\"id\":\"{id}\",\"source\":\"fuzz\",\"type\":\"{type}\",\"data\":{{\"callId\":{new string('[', depth)}{new string(']', depth)},\"agentId\":\"agent-1\",\"customerId\":\"cust-1\"}}}}");
                break;
            case "wrong-content-type":
                contentType = Pick(random, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png");
                break;
            case "no-content-type":
                contentType = null;
                break;
            case "oversized":
                data["customerId"] = new string('y', random.Next(70_000, 200_000));
                break;
            case "forged":
                sign = b => Signed(id, timestamp, b, WrongKey);
                break;
            case "garbage-signature":
                sign = b => new Dictionary<string, string>
                {
                    ["webhook-id"] = id,
                    ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
                    ["webhook-signature"] = Pick(random, "v1,", "v2," + Convert.ToBase64String(b[..8]), "garbage", "v1,!!!", string.Empty, "v1," + new string('A', 5000)),
                };
                break;
            case "missing-headers":
                sign = b =>
                {
                    var headers = Signed(id, timestamp, b);
                    headers.Remove(Pick(random, "webhook-id", "webhook-timestamp", "webhook-signature"));
                    return headers;
                };
                break;
            case "stale":
                // Well past the 5-minute tolerance: the signing second and the send itself take time.
                timestamp -= random.Next(330, 100_000);
                break;
            case "future":
                timestamp += random.Next(330, 100_000);
                break;
            case "privacy-field":
                data[Pick(random, "condition", "notes", "details", "diagnosis", "symptoms")] = "chest pain";
                break;
            case "unknown-type":
                type = Pick(random, "com.cinch.call.medical-emergency.flaged", "com.cinch.unknown", string.Empty, "COM.CINCH.CALL.MEDICAL-EMERGENCY.FLAGGED");
                break;
            case "unknown-reason":
                type = "com.cinch.servicejob.escalation.raised";
                data = new JsonObject
                {
                    ["serviceJobId"] = $"job-bad-{run}-{index}", ["reason"] = "service-delay", ["subReason"] = "not-a-sub-reason",
                    ["raisedBy"] = "agent-1", ["contactRole"] = "customer",
                };
                break;
            case "not-json":
                body = new byte[random.Next(1, 2000)];
                random.NextBytes(body);
                break;
            case "empty-body":
                body = [];
                break;
            case "unknown-call":
                type = "com.cinch.call.transfer.connected";
                data = new JsonObject { ["callId"] = callId, ["targetExtension"] = "69187" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        body ??= Event(type, data, id);
        return new FuzzRequest(index, kind, body, sign?.Invoke(body) ?? Signed(id, timestamp, body), contentType);
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static JsonNode? WrongValue(Random random) => random.Next(6) switch
    {
        0 => JsonValue.Create(12345),
        1 => JsonValue.Create(true),
        2 => new JsonArray("a", "b"),
        3 => new JsonObject { ["nested"] = "x" },
        4 => null,
        _ => JsonValue.Create(1.5e300),
    };

    private static byte[] Event(string type, JsonNode data, string id) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = "urn:cinch:fuzz",
        ["type"] = type,
        ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["data"] = data,
    }.ToJsonString());

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static Dictionary<string, string> Signed(string id, long timestamp, byte[] body, byte[]? key = null) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
        ["webhook-signature"] = StandardWebhookSignature.Sign(key ?? Key, id, timestamp, body),
    };

    private sealed record FuzzRequest(int Index, string Kind, byte[] Body, Dictionary<string, string> Headers, string? ContentType)
    {
        public string? CallId { get; init; }

        public FuzzRequest? ReplayOf { get; init; }
    }
}
