using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CinchFlows.Bench;

/// <summary>
/// The real standalone service, started as a child process for one run: this build's CinchFlows.Standalone, or the
/// baseline's build (before the engine change, CinchFlows.Functions), which takes the same settings.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>How long the load phase's flows wait for a claim or an acknowledgement (both builds).</summary>
    private static readonly TimeSpan LoadWaits = TimeSpan.FromHours(12);

    private readonly ChildProcess process;
    private readonly HttpClient http;

    private ServiceProcess(ChildProcess process, Uri baseAddress, string webhookSecret, string opsKey)
    {
        this.process = process;
        BaseAddress = baseAddress;
        WebhookSecret = webhookSecret;
        OpsKey = opsKey;
        http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", opsKey);
    }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The secret it accepts on webhooks.</summary>
    public string WebhookSecret { get; }

    /// <summary>Its ops API key.</summary>
    public string OpsKey { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>A new random <c>whsec_</c> secret.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts <paramref name="build"/> against <paramref name="storage"/>, sending commands to <paramref name="commandsUrl"/>; waits until healthy.</summary>
    public static async Task<ServiceProcess> StartAsync(
        BuildUnderTest build, string storage, Uri commandsUrl, string commandSecret, BenchOptions options, string logPath, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var webhookSecret = NewSecret();
        var opsKey = "bench-ops-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(options);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(build.DllPath))! };
        start.ArgumentList.Add(Path.GetFullPath(build.DllPath));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Urls"] = baseAddress.AbsoluteUri.TrimEnd('/'),
            ["AzureWebJobsStorage"] = storage,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Telephony__WebhookSecrets__0"] = webhookSecret,
            ["Telephony__CommandsUrl"] = commandsUrl.AbsoluteUri,
            ["Telephony__CommandSecret"] = commandSecret,
            ["Access__Keys__0__key"] = opsKey,
            ["Access__Keys__0__role"] = "ops",
            ["Flows__MedicalEmergency__ConnectTimeout"] = options.ConnectTimeout.ToString("c", CultureInfo.InvariantCulture),

            // The load phase's flows wait for a claim or an acknowledgement that never comes. Waits of hours (not the
            // shipped 15 and 30 minutes) keep every one of them waiting however long the run takes to start them all
            // (10,000 take about 40 minutes on Azurite), so memory is read with all of them waiting, none escalating.
            ["Flows__SupervisorCallback__ClaimTimeout"] = LoadWaits.ToString("c", CultureInfo.InvariantCulture),
            ["Flows__Escalation__AcknowledgeTimeout"] = LoadWaits.ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in build.Settings)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var service = new ServiceProcess(ChildProcess.Start(start, logPath), baseAddress, webhookSecret, opsKey);
        try
        {
            var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
            while (true)
            {
                if (service.process.HasExited)
                {
                    throw new InvalidOperationException($"The service exited during start; see {logPath}.");
                }

                try
                {
                    using var answer = await service.http.GetAsync(new Uri("api/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        return service;
                    }
                }
                catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
                {
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"The service was not healthy within 90 s; see {logPath}.");
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The engine's progress counters from <c>/api/health</c> (both builds have them); null when it answers 503. Storage
    /// requests are not read here: Azurite counts them, the same way for every build.
    /// </summary>
    public async Task<HealthTotals?> HealthAsync(CancellationToken cancellationToken)
    {
        using var answer = await http.GetAsync(new Uri("api/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        answer.EnsureSuccessStatusCode();
        var json = await answer.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("/api/health answered no JSON.");
        return new HealthTotals((long?)json["steps"] ?? 0, (long?)json["activities"] ?? 0, (long?)json["emptyPolls"] ?? 0, (string?)json["store"]);
    }

    /// <summary>An instance's status with its history (management API), or null while unknown.</summary>
    public async Task<JsonObject?> InstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        using var answer = await http.GetAsync(
            new Uri($"api/instances/{Uri.EscapeDataString(instanceId)}?showHistory=true&showInput=false", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        answer.EnsureSuccessStatusCode();
        return await answer.Content.ReadFromJsonAsync<JsonObject>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resident memory (VmRSS) of the service process in bytes.</summary>
    public long ResidentBytes() => process.ResidentBytes();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await process.DisposeAsync().ConfigureAwait(false);
    }
}
