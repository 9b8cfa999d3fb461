using System.Diagnostics;
using System.Net;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.DurableHub;

/// <summary>
/// Runs the Durable Task gRPC hub (<see cref="TaskHubGrpcServer"/>) inside this process, on a free loopback port with
/// HTTP/2, in a small Kestrel host of its own, on the configured backend. The worker and client of this process are its
/// only callers (the hub takes one worker stream). Registered before the worker, so the host stops the worker first.
/// </summary>
/// <remarks>
/// It takes <see cref="HubHistory"/> only so that the history exists, recording, before the first step commits (in
/// memory the backend keeps no readable history of its own).
/// </remarks>
public sealed class DurableHubServer(
    HubBackend backend,
    HubEndpoint endpoint,
    HubHistory history,
    IOptions<DurableHubOptions> options,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger logger = loggerFactory.CreateLogger(DurableHubLog.Category);
    private IHost? host;

    /// <summary>The instances' history, recording from the start.</summary>
    public HubHistory History { get; } = history;

    /// <summary>True once the hub listens.</summary>
    public bool IsListening => endpoint.Address.IsCompletedSuccessfully;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await backend.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            host = BuildHost();
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = BoundAddress(host);
            endpoint.Bind(address);
            var settings = options.Value;
            DurableHubLog.Listening(logger, settings.TaskHubName, backend.Kind, address, backend.WorkerId, settings.PartitionCount, settings.MaxQueuePollingInterval);
        }
        catch (Exception ex)
        {
            DurableHubLog.StartFailed(logger, ex.Message, ex);
            endpoint.Fail(ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (host is not null)
        {
            await host.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        // The hub stops its dispatchers without waiting for them; stopping the backend here releases this worker's
        // partition leases now, so another worker takes them over without waiting for them to expire.
        // (The adapter stops the backend once, only if it started, and logs rather than throws.)
        var stopping = backend.Service.StopAsync(isForced: false);
        if (!await FinishesInTimeAsync(stopping, cancellationToken).ConfigureAwait(false))
        {
            // The host's shutdown budget ran out first (storage answering slowly: the backend drains each partition
            // and writes its lease back). Giving up here loses nothing: every message this worker did not finish is
            // still in its queue, and the leases it still holds lapse, so another worker takes the partitions over
            // then. Throwing instead would make the whole host's stop fail.
            DurableHubLog.StopCutShort(logger, watch.ElapsedMilliseconds);
            return;
        }

        DurableHubLog.Stopped(logger, watch.ElapsedMilliseconds);
    }

    private static async Task<bool> FinishesInTimeAsync(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }
    }

    private IHost BuildHost() =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(loggerFactory);
                services.AddLogging();
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
                services.AddGrpc(o => o.MaxReceiveMessageSize = null);
                services.AddSingleton<IOrchestrationService>(backend.Service);
                services.AddSingleton(backend.Client);
                services.AddSingleton<TaskHubGrpcServer>();
            })
            .ConfigureWebHost(web => web
                .UseKestrel(kestrel =>
                {
                    kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
                    kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(routes => routes.MapGrpcService<TaskHubGrpcServer>());
                }))
            .Build();

    private static IPEndPoint BoundAddress(IHost started)
    {
        var addresses = started.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The hub's server reports no address.");
        var uri = new Uri(addresses.Single());
        return new IPEndPoint(IPAddress.Loopback, uri.Port);
    }
}
