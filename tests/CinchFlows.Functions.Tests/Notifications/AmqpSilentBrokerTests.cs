using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CinchFlows.Flows.Notifications;
using CinchFlows.Functions.Notifications;
using Microsoft.Extensions.Logging.Abstractions;

namespace CinchFlows.Functions.Tests.Notifications;

/// <summary>The AMQP publisher against a broker that accepts TCP connections and never speaks (found by review; each failed before its fix).</summary>
public sealed class AmqpSilentBrokerTests
{
    /// <summary>A "broker" that accepts connections and never sends a byte (a hung broker, a stalled load balancer).</summary>
    private sealed class SilentListener : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> accepted = [];
        private readonly CancellationTokenSource stop = new();

        public SilentListener()
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var socket = await listener.AcceptSocketAsync(stop.Token);
                        lock (accepted) { accepted.Add(socket); }
                    }
                    catch (Exception) { return; }
                }
            });
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Accepted { get { lock (accepted) { return accepted.Count; } } }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            lock (accepted) { foreach (var s in accepted) { s.Dispose(); } }
        }
    }

    private static AmqpNotificationPublisher Publisher(int port, TimeSpan timeout, bool sasl = true) =>
        new(new AmqpEndpoint(new Amqp.Address("127.0.0.1", port, sasl ? "guest" : null, sasl ? "guest" : null, "/", "amqp")),
            new NotificationAddressResolver(new NotificationOptions()), timeout, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task SilentBroker_OnePublish_FailsWithinTheOperationTimeout()
    {
        using var broker = new SilentListener();
        var publisher = Publisher(broker.Port, TimeSpan.FromSeconds(2));

        var publish = publisher.PublishAsync(TestNotifications.Create(), CancellationToken.None);

        // A hang shows as the outer 15 s limit passing; the publisher's own 2 s deadline must fire first.
        await Assert.ThrowsAsync<TimeoutException>(() => publish.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(publish.IsCompleted, "PublishAsync hangs on a broker that accepts TCP but never answers the AMQP/SASL handshake");
    }

    [Fact]
    public async Task SilentBroker_DisposeDuringAConnect_ReturnsPromptly()
    {
        using var broker = new SilentListener();
        var publisher = Publisher(broker.Port, TimeSpan.FromSeconds(2));
        var publish = publisher.PublishAsync(TestNotifications.Create(), CancellationToken.None);
        var connected = Stopwatch.StartNew();
        while (broker.Accepted == 0)
        {
            Assert.True(connected.Elapsed < TimeSpan.FromSeconds(10), "the publisher never connected");
            await Task.Yield();
        }

        // Host shutdown must not wait for a connect that never ends.
        await publisher.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAnyAsync<Exception>(() => publish.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task SilentBroker_CancelledPublish_Returns()
    {
        using var broker = new SilentListener();
        var publisher = Publisher(broker.Port, TimeSpan.FromSeconds(2));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var publish = publisher.PublishAsync(TestNotifications.Create(), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publish.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SilentBroker_EightConcurrentPublishes_EachFailsWithinAboutOneOperationTimeout(bool sasl)
    {
        // Publishes queued on the publisher's lock must not retry the same dead connect one after another (the n-th would
        // take n x OperationTimeout). Without SASL the library honours the connect deadline itself, which isolates the lock.
        using var broker = new SilentListener();
        var timeout = TimeSpan.FromSeconds(1);
        var publisher = Publisher(broker.Port, timeout, sasl);

        var elapsed = Stopwatch.StartNew();
        var publishes = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(async () =>
            {
                try { await publisher.PublishAsync(TestNotifications.Create(), CancellationToken.None); }
                catch (Exception) { }
                return elapsed.Elapsed;
            }))
            .ToArray();
        var slowest = (await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(60))).Max();

        // Serialized dead connects would take 8 x OperationTimeout and 8 connections; a publish that starts after the
        // shared attempt failed may try once more, and a loaded CI machine adds seconds: the bound keeps clear of both.
        Assert.True(broker.Accepted < 8, $"{broker.Accepted} connections were attempted for 8 concurrent publishes");
        Assert.True(slowest < timeout * 5,
            $"the slowest of 8 concurrent publishes took {slowest.TotalSeconds:0.0} s with OperationTimeout {timeout.TotalSeconds} s; {broker.Accepted} connections were attempted");
    }
}
