using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Telephony;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>
/// The three flows on Microsoft's in-memory Durable Task host (<see cref="DurableTaskTestHost"/>: the real worker and
/// client over gRPC, in real time), with <see cref="FlowJson"/> as the worker's and client's JSON, the in-memory
/// callback store, and recording fakes for the telephony platform and the broker. Timeouts are configured short by
/// the tests; they wait on conditions with deadlines.
/// </summary>
internal sealed class FlowTestHost : IAsyncDisposable
{
    /// <summary>Settings every run starts from: fast command retries, long waits unless a test shortens them.</summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Flows:Commands:MaxAttempts"] = "4",
        ["Flows:Commands:FirstRetryInterval"] = "00:00:00.050",
        ["Flows:Commands:MaxRetryInterval"] = "00:00:00.200",
        ["Flows:MedicalEmergency:ConnectTimeout"] = "00:01:00",
        ["Flows:SupervisorCallback:ConnectTimeout"] = "00:01:00",
    };

    private readonly DurableTaskTestHost host;

    private FlowTestHost(DurableTaskTestHost host, RecordingTelephony telephony, RecordingPublisher notifications)
    {
        this.host = host;
        Telephony = telephony;
        Notifications = notifications;
    }

    public RecordingTelephony Telephony { get; }

    public RecordingPublisher Notifications { get; }

    public DurableTaskClient Client => host.Client;

    public CallCenterFlowClient Flows => host.Services.GetRequiredService<CallCenterFlowClient>();

    public CallbackTaskClient Callbacks => host.Services.GetRequiredService<CallbackTaskClient>();

    public IServiceProvider Services => host.Services;

    public static async Task<FlowTestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var telephony = new RecordingTelephony();
        var notifications = new RecordingPublisher();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Defaults)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var options = new DurableTaskTestHostOptions
        {
            // The host binds http://localhost:<port>; a port the OS just handed out is far less likely to be taken
            // than the host's own random pick in 30000-40000.
            Port = FreePort(),
            ConfigureServices = services =>
            {
                services.AddSingleton<IConfiguration>(configuration);

                // The worker and the client both take a DataConverter service: the flows' JSON, as the hosts configure it.
                services.AddSingleton<DataConverter>(new JsonDataConverter(FlowJson.Options));
                services.AddCallCenterFlows(inMemory: true);
                services.AddSingleton<ITelephonyCommands>(telephony);
                services.AddSingleton<INotificationPublisher>(notifications);
            },
        };
        var host = await DurableTaskTestHost.StartAsync(registry => registry.AddCallCenterFlows(), options);
        return new FlowTestHost(host, telephony, notifications);
    }

    public async Task<OrchestrationMetadata> GetAsync(string instanceId) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"No instance {instanceId}");

    /// <summary>Waits until the flow has ended and returns its output; fails if it did not complete.</summary>
    public async Task<T> OutputAsync<T>(string instanceId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var instance = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancel.Token);
        Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instanceId} is {instance.RuntimeStatus}: {instance.SerializedOutput} {instance.FailureDetails?.ErrorMessage}");
        return FlowJson.Deserialize<T>(instance.SerializedOutput)!;
    }

    /// <summary>The flow's custom status; null while it has none or does not exist yet.</summary>
    public async Task<FlowStatus?> StatusAsync(string instanceId) =>
        FlowJson.Deserialize<FlowStatus>((await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.SerializedCustomStatus);

    /// <summary>Waits until the flow's custom status is in <paramref name="phase"/>.</summary>
    public Task UntilPhaseAsync(string instanceId, string phase) =>
        Waiting.UntilAsync(async () => (await StatusAsync(instanceId))?.Phase == phase, $"{instanceId} to reach {phase}");

    /// <summary>Every JSON text the backend holds about the flows: inputs, outputs, custom statuses and every history event.</summary>
    public async Task<string> EverythingStoredAsync()
    {
        var texts = new List<string>();
        await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
        {
            texts.Add(string.Join('\n', instance.InstanceId, instance.SerializedInput, instance.SerializedOutput, instance.SerializedCustomStatus));
            foreach (var e in await Client.GetOrchestrationHistoryAsync(instance.InstanceId))
            {
                texts.Add(JsonSerializer.Serialize(e, e.GetType()));
            }
        }

        return string.Join('\n', texts);
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
