using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.TelephonySimulator;

/// <summary>
/// The telephony platform's command endpoint, in process: a Kestrel server on 127.0.0.1 taking signed commands at
/// <c>/commands</c> (docs/api.md §2). It checks each signature (401 if bad), acts once per idempotency key (a repeat is
/// answered 200 and not acted on), can fail on demand, and records everything for tests and the demo.
/// </summary>
public sealed partial class CommandReceiver : IAsyncDisposable
{
    /// <summary>The route commands are POSTed to.</summary>
    public const string CommandsPath = "/commands";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly object gate = new();
    private readonly CommandReceiverOptions options;
    private readonly string[] secrets;
    private readonly WebApplication app;
    private readonly List<ReceivedCommand> received = [];
    private readonly List<ReceivedCommand> acted = [];
    private readonly List<RejectedDelivery> rejected = [];
    private readonly HashSet<string> actedKeys = new(StringComparer.Ordinal);
    private readonly List<(Func<ReceivedCommand, bool> Predicate, TaskCompletionSource<ReceivedCommand> Completion)> waiters = [];
    private readonly List<Func<ReceivedCommand, CancellationToken, Task>> handlers = [];
    private readonly List<Exception> handlerErrors = [];
    private readonly Channel<ReceivedCommand> toDispatch = Channel.CreateUnbounded<ReceivedCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private Task dispatcher = Task.CompletedTask;
    private int failuresLeft;
    private HttpStatusCode failureStatus = HttpStatusCode.ServiceUnavailable;
    private int duplicates;
    private int disposed;

    private CommandReceiver(CommandReceiverOptions options)
    {
        this.options = options;
        secrets = [.. options.Secrets];

        // The empty builder reads no configuration, environment or settings file, and logs nothing: the receiver must
        // behave the same in any test process and not pick up the service's URLs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(CommandReceiver).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        app = builder.Build();
        app.Run(HandleAsync);
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:7072/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Where the service must POST commands: the value for <c>Telephony:CommandsUrl</c>.</summary>
    public Uri CommandsUri => new($"http://127.0.0.1:{Port}{CommandsPath}");

    /// <summary>Every well-signed delivery, in order: acted, duplicate or failed on purpose.</summary>
    public IReadOnlyList<ReceivedCommand> Received
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    /// <summary>The commands carried out: the first delivery of each idempotency key, in order.</summary>
    public IReadOnlyList<ReceivedCommand> Acted
    {
        get
        {
            lock (gate)
            {
                return [.. acted];
            }
        }
    }

    /// <summary>Deliveries refused before they counted as commands (bad signature, stale, too large, not JSON).</summary>
    public IReadOnlyList<RejectedDelivery> Rejected
    {
        get
        {
            lock (gate)
            {
                return [.. rejected];
            }
        }
    }

    /// <summary>How many deliveries repeated a key already acted on (each would have acted twice on a careless platform).</summary>
    public int DuplicateCount
    {
        get
        {
            lock (gate)
            {
                return duplicates;
            }
        }
    }

    /// <summary>Exceptions thrown by <see cref="OnActed"/> handlers (the receiver keeps going).</summary>
    public IReadOnlyList<Exception> HandlerErrors
    {
        get
        {
            lock (gate)
            {
                return [.. handlerErrors];
            }
        }
    }

    /// <summary>Starts a receiver on 127.0.0.1:<paramref name="port"/> (0: a free port) that accepts commands signed with <paramref name="secret"/>.</summary>
    public static Task<CommandReceiver> StartAsync(string secret, int port = 0, CancellationToken cancellationToken = default)
    {
        var options = new CommandReceiverOptions { Port = port };
        options.Secrets.Add(secret);
        return StartAsync(options, cancellationToken);
    }

    /// <summary>Starts a receiver with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">No secret, a secret that does not decode, or a bad port or tolerance.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<CommandReceiver> StartAsync(CommandReceiverOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Secrets.Count == 0)
        {
            throw new ArgumentException("A command receiver needs at least one whsec_ secret.", nameof(options));
        }

        foreach (var secret in options.Secrets)
        {
            try
            {
                StandardWebhooks.DecodeSecret(secret);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException("A command receiver secret is not whsec_ followed by base64.", nameof(options), ex);
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Tolerance, TimeSpan.Zero);

        var receiver = new CommandReceiver(options);
        try
        {
            await receiver.app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await receiver.app.DisposeAsync().ConfigureAwait(false);
            receiver.stopping.Dispose();
            throw;
        }

        var address = receiver.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Port = new Uri(address).Port;
        receiver.dispatcher = receiver.DispatchAsync(receiver.stopping.Token);
        return receiver;
    }

    /// <summary>Answers the next <paramref name="count"/> well-signed deliveries with <paramref name="status"/> and does not act on them.</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            failuresLeft = count;
            failureStatus = status;
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for every command acted on from now on, one at a time in arrival order, after the
    /// delivery was answered (so a handler may call the service back, e.g. to say a transfer connected). Dispose the
    /// result to stop. The token is cancelled when the receiver is disposed.
    /// </summary>
    public IDisposable OnActed(Func<ReceivedCommand, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            handlers.Add(handler);
        }

        return new Unsubscriber(() =>
        {
            lock (gate)
            {
                handlers.Remove(handler);
            }
        });
    }

    /// <summary>The first delivery (already received or still to come) that satisfies <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None came within <paramref name="timeout"/>; the message lists what did.</exception>
    public async Task<ReceivedCommand> WaitForAsync(Func<ReceivedCommand, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waiter = (predicate, new TaskCompletionSource<ReceivedCommand>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (gate)
        {
            if (received.FirstOrDefault(predicate) is { } already)
            {
                return already;
            }

            waiters.Add(waiter);
        }

        try
        {
            return await waiter.Item2.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No matching command arrived at {CommandsUri} within {timeout}. {Describe()}", ex);
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }
        }
    }

    /// <summary>What arrived so far, in one line (for failure messages).</summary>
    public string Describe()
    {
        lock (gate)
        {
            var commands = received.Count == 0
                ? "none"
                : string.Join("; ", received.Select(c => $"#{c.Sequence} {c.Type} call={c.CallId ?? c.ServiceJobId} key={c.IdempotencyKey} {c.Outcome}"));
            var refusals = rejected.Count == 0 ? "none" : string.Join("; ", rejected.Select(r => $"{r.StatusCode} {r.Reason}"));
            return $"Received: {commands}. Rejected: {refusals}.";
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        using (var stopTimeout = new CancellationTokenSource(StopTimeout))
        {
            await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        }

        toDispatch.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        await dispatcher.ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
        lock (gate)
        {
            foreach (var (_, completion) in waiters)
            {
                completion.TrySetException(new ObjectDisposedException(nameof(CommandReceiver)));
            }
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var command in toDispatch.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Func<ReceivedCommand, CancellationToken, Task>[] current;
                lock (gate)
                {
                    current = [.. handlers];
                }

                foreach (var handler in current)
                {
                    try
                    {
                        await handler(command, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        lock (gate)
                        {
                            handlerErrors.Add(ex);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: handlers still queued are dropped.
        }
    }
}
