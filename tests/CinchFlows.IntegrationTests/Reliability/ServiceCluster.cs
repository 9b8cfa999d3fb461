using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// One or more <see cref="ServiceProcess"/> workers on one task hub, the telephony platform's command receiver they
/// call, and a client that behaves like a patient platform: every webhook and API call goes to a live worker and is
/// retried (same <c>webhook-id</c>) while workers are down or storage answers 503, until it gets a final answer. A
/// supervisor loop starts again any worker that exits on its own, as production's process manager would
/// (<see cref="ServiceProcess.Exits"/> counts them).
/// </summary>
internal sealed class ServiceCluster : IAsyncDisposable
{
    public const string OpsKey = "reliability-ops-key-0123456789";
    public const string SupervisorKey = "reliability-supervisor-key-0123456789";
    public const string WebhookSecret = "whsec_cmVsaWFiaWxpdHktd2ViaG9vay1zZWNyZXQ=";
    public const string CommandSecret = "whsec_cmVsaWFiaWxpdHktY29tbWFuZC1zZWNyZXQ=";

    private static readonly (string Option, string Topic)[] Topics =
    [
        ("AgentPrompts", "agent-prompts"), ("HandoffNotes", "handoff-notes"), ("ClaimsSeverity", "claims-severity"),
        ("Escalations", "escalations"), ("SupervisorNotifications", "supervisor-notifications"),
        ("CallbackTasks", "callback-tasks"), ("OpsAlerts", "ops-alerts"),
    ];

    private readonly List<ServiceProcess> workers;
    private readonly Dictionary<ServiceProcess, WebhookSender> senders;
    private readonly object gate = new();
    private readonly List<string> serverErrors = [];
    private readonly List<string> supervisorFailures = [];
    private readonly CancellationTokenSource stopping = new();
    private Task supervising = Task.CompletedTask;
    private int retries;

    private ServiceCluster(List<ServiceProcess> workers, CommandReceiver receiver, string taskHub, EngineWarnings warnings)
    {
        this.workers = workers;
        Warnings = warnings;
        Receiver = receiver;
        TaskHub = taskHub;
        senders = workers.ToDictionary(w => w, w => new WebhookSender(w.BaseAddress, WebhookSecret));
    }

    public CommandReceiver Receiver { get; }

    /// <summary>The messages the backend put back with a back-off, as the workers logged them.</summary>
    public EngineWarnings Warnings { get; }

    public string TaskHub { get; }

    public IReadOnlyList<ServiceProcess> Workers => workers;

    /// <summary>How long a webhook or API call keeps being retried before the test gives up on it.</summary>
    public TimeSpan RetryDeadline { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Answers other than 503 at or above 500, one line each: none may happen.</summary>
    public IReadOnlyList<string> ServerErrors
    {
        get
        {
            lock (gate)
            {
                return [.. serverErrors];
            }
        }
    }

    /// <summary>Exits of workers on their own (not SIGKILLs), each started again by the supervisor loop or at start-up.</summary>
    public IReadOnlyList<string> WorkerExits => [.. workers.SelectMany(w => w.Exits)];

    /// <summary>Workers the supervisor loop could not start again (each a failure of the run).</summary>
    public IReadOnlyList<string> SupervisorFailures
    {
        get
        {
            lock (gate)
            {
                return [.. supervisorFailures];
            }
        }
    }

    /// <summary>Sends that had to be repeated (worker down, connection cut, 503).</summary>
    public int Retries => Volatile.Read(ref retries);

    /// <summary>The settings every worker gets: storage, hub, keys, secrets, commands to <paramref name="receiver"/>, storage-queue notifications named after the hub.</summary>
    public static Dictionary<string, string> BaseSettings(string connectionString, string taskHub, CommandReceiver receiver)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Durable:Store"] = "AzureStorage",
            ["Durable:TaskHubName"] = taskHub,
            ["Access:Keys:0:key"] = OpsKey,
            ["Access:Keys:0:role"] = "ops",
            ["Access:Keys:1:key"] = SupervisorKey,
            ["Access:Keys:1:role"] = "supervisor",
            ["Identity:Issuer"] = TestTokens.Issuer,
            ["Identity:Audience"] = TestTokens.Audience,
            ["Identity:SigningKey"] = TestTokens.SigningKey,
            ["Telephony:WebhookSecrets:0"] = WebhookSecret,
            ["Telephony:CommandsUrl"] = receiver.CommandsUri.ToString(),
            ["Telephony:CommandSecret"] = CommandSecret,
            ["Notifications:Transport"] = "storage-queue",
            ["CallbackRequests:QueueName"] = taskHub + "-callback-requests",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",

            // Which worker held which control queue, and when: what a stall is read from (docs/engine.md).
            ["Logging:LogLevel:DurableTask.AzureStorage.Partitions"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        };
        foreach (var (option, topic) in Topics)
        {
            settings[$"Notifications:Topics:{option}"] = $"{taskHub}-{topic}";
        }

        return settings;
    }

    /// <summary>
    /// Starts <paramref name="count"/> workers with <paramref name="settings"/> and waits until all are healthy. Each worker
    /// slot has its own <c>Durable:WorkerId</c>, kept across its restarts, so a restarted worker takes its partition
    /// leases back at once instead of waiting for them to expire (docs/engine.md).
    /// </summary>
    public static async Task<ServiceCluster> StartAsync(int count, IReadOnlyDictionary<string, string> settings, CommandReceiver receiver, string taskHub)
    {
        var warnings = new EngineWarnings();
        var workers = Enumerable.Range(1, count)
            .Select(i => new ServiceProcess($"worker-{i}", new Dictionary<string, string>(settings) { ["Durable:WorkerId"] = WorkerId(i) }, warnings))
            .ToList();
        var cluster = new ServiceCluster(workers, receiver, taskHub, warnings);
        try
        {
            // One at a time: the first creates the tables and queues.
            foreach (var worker in workers)
            {
                await worker.StartAsync();
            }

            cluster.supervising = cluster.SuperviseAsync(cluster.stopping.Token);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The <c>Durable:WorkerId</c> of worker slot <paramref name="slot"/> (1-based).</summary>
    public static string WorkerId(int slot) => $"worker-{slot}";

    /// <summary>SIGKILLs <paramref name="worker"/>, starts it again at once and returns how long until it answered health 200.</summary>
    public static Task<TimeSpan> KillAndRestartAsync(ServiceProcess worker) => worker.KillAndRestartAsync();

    /// <summary>Sends one webhook under one <c>webhook-id</c> until a worker gives a final answer (anything but a cut connection or 503).</summary>
    public async Task<HttpStatusCode> SendWebhookAsync(string type, JsonObject data, string? webhookId = null)
    {
        var id = webhookId ?? WebhookSender.NewWebhookId();
        var timestamp = DateTimeOffset.UtcNow;
        return await RetryAsync($"webhook {type} {id}", async worker =>
        {
            using var response = await senders[worker].SendAsync(type, data.DeepClone(), id, timestamp);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        });
    }

    /// <summary>Calls the API until a worker gives a final answer; returns the status and the body.</summary>
    /// <remarks><paramref name="key"/>: an API key (reads) or a person's token (<see cref="TestTokens"/>, actions); by default the ops lead's token.</remarks>
    public async Task<(HttpStatusCode Status, string Body)> SendApiAsync(HttpMethod method, string path, object? body = null, string key = TestTokens.OpsPerson)
    {
        var text = string.Empty;
        var status = await RetryAsync($"{method} {path}", async worker =>
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            TestTokens.Apply(request, key);
            using var response = await worker.Http.SendAsync(request);
            text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text);
        });
        return (status, text);
    }

    /// <summary>The instance's status body, or default when it does not exist (yet).</summary>
    public async Task<JsonElement> StatusAsync(string instanceId)
    {
        var (status, body) = await SendApiAsync(HttpMethod.Get, $"api/instances/{instanceId}");
        return status is HttpStatusCode.OK or HttpStatusCode.Accepted ? JsonDocument.Parse(body).RootElement.Clone() : default;
    }

    /// <summary>
    /// Every flow not finished yet (Pending, Running, Suspended), by instance id, through the list API a page at a time:
    /// one query per page instead of one read per flow, so watching hundreds of flows does not become the load.
    /// </summary>
    public async Task<Dictionary<string, JsonElement>> UnfinishedAsync()
    {
        var unfinished = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = string.Empty;
            string? next = null;
            var status = await RetryAsync("list unfinished flows", async worker =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "api/instances?runtimeStatus=Pending,Running,Suspended&top=500");
                request.Headers.Add("X-Api-Key", OpsKey);
                if (token is not null)
                {
                    request.Headers.Add("x-ms-continuation-token", token);
                }

                using var response = await worker.ObserverHttp.SendAsync(request);
                page = await response.Content.ReadAsStringAsync();
                next = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
                return (response.StatusCode, page);
            });
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Listing unfinished flows answered {(int)status}: {page}");
            }

            foreach (var flow in JsonDocument.Parse(page).RootElement.EnumerateArray())
            {
                unfinished[flow.GetProperty("instanceId").GetString()!] = flow.Clone();
            }

            token = next;
        }
        while (token is not null);

        return unfinished;
    }

    public async ValueTask DisposeAsync()
    {
        // Stop supervising first, so no worker is started again while the workers are being stopped.
        await stopping.CancelAsync();
        await supervising;
        stopping.Dispose();
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        foreach (var sender in senders.Values)
        {
            sender.Dispose();
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await tick.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var worker in workers)
                {
                    try
                    {
                        await worker.ReviveIfExitedAsync();
                    }
                    catch (Exception ex) when (ex is WorkerExitedException or TimeoutException)
                    {
                        lock (gate)
                        {
                            supervisorFailures.Add($"{worker.Name} could not be started again: {ex.Message}");
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposing.
        }
    }

    private async Task<HttpStatusCode> RetryAsync(string what, Func<ServiceProcess, Task<(HttpStatusCode Status, string Body)>> send)
    {
        var deadline = Stopwatch.StartNew();
        var attempt = Random.Shared.Next(workers.Count);
        string last = "nothing yet";
        while (true)
        {
            var worker = workers[attempt++ % workers.Count];
            if (worker.IsRunning)
            {
                try
                {
                    var (status, body) = await send(worker);
                    if (status != HttpStatusCode.ServiceUnavailable)
                    {
                        if ((int)status >= 500)
                        {
                            lock (gate)
                            {
                                serverErrors.Add($"{what} on {worker.Name}: {(int)status} {body}");
                            }
                        }

                        return status;
                    }

                    last = $"503 from {worker.Name}: {body}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Killed while answering, or not listening yet: the platform tries again.
                    last = $"{worker.Name}: {ex.Message}";
                }
            }

            if (deadline.Elapsed > RetryDeadline)
            {
                throw new TimeoutException($"{what} got no final answer within {RetryDeadline}; last: {last}");
            }

            Interlocked.Increment(ref retries);

            // Back off a little before the next worker; the deadline above bounds the whole wait.
            await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(150)));
        }
    }
}
