using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Amqp;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>
/// A private RabbitMQ node with the AMQP 1.0 plugin for the test run (Debian's <c>rabbitmq-server</c> 3.10), started once
/// on free ports of 127.0.0.1 with its own node name, Erlang cookie, epmd, data and log folders, and stopped when the run
/// ends. Use it as <c>[Collection(RabbitMqCollection.Name)] class X(RabbitMqFixture rabbit)</c>: give each test its own
/// queue names (<see cref="NewQueuePrefix"/>), declare them with <see cref="DeclareQueuesAsync"/> before publishing (the
/// broker accepts and drops a message for a queue that does not exist), publish with <see cref="ConnectionString"/> and
/// <see cref="AddressTemplate"/>, and read back with <see cref="ReceiveAsync"/>.
/// </summary>
public sealed partial class RabbitMqFixture : IAsyncLifetime
{
    /// <summary>The publisher's address template for queues declared here (RabbitMQ's address of an existing queue).</summary>
    public const string AddressTemplate = "/amq/queue/{topic}";

    /// <summary>Where Debian's package puts the broker's scripts (the ones in /usr/sbin switch to the rabbitmq user).</summary>
    public const string ScriptsFolder = "/usr/lib/rabbitmq/bin";

    private const int StartAttempts = 2;
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(30);

    private readonly StringBuilder output = new();
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
    private Process? server;
    private Process? epmd;
    private string? workFolder;

    /// <summary>The broker's AMQP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The node's Erlang distribution port.</summary>
    public int DistributionPort { get; private set; }

    /// <summary>The port of the node's own epmd.</summary>
    public int EpmdPort { get; private set; }

    /// <summary>The node's name, e.g. <c>cf-test-1a2b3c4d@localhost</c>.</summary>
    public string NodeName { get; private set; } = string.Empty;

    /// <summary>The broker URL for <c>Notifications:Amqp:ConnectionString</c> (the default guest user, allowed on loopback).</summary>
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}";

    /// <summary>What the node printed and logged so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (output)
            {
                return output + NodeLogFile();
            }
        }
    }

    /// <summary>A queue-name prefix no other test uses (lowercase letters and digits).</summary>
#pragma warning disable CA1822 // An instance method on purpose: tests call it as rabbit.NewQueuePrefix().
    public string NewQueuePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
#pragma warning restore CA1822

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(ScriptsFolder, "rabbitmq-server")))
        {
            throw new InvalidOperationException(
                $"RabbitMQ is not installed ({ScriptsFolder}/rabbitmq-server is missing). Install Debian's package: " +
                "apt-get install -y --no-install-recommends rabbitmq-server (./scripts/test.sh does it when CI=true or as root).");
        }

        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            try
            {
                await StartNodeAsync();
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
            {
                failures.Add($"Attempt {attempt}: {ex.Message}\n--- node output and log ---\n{Log}");
                StopNode();
            }
        }

        throw new InvalidOperationException($"RabbitMQ did not start in {StartAttempts} attempts.\n{string.Join("\n\n", failures)}");
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        StopNode();
        return Task.CompletedTask;
    }

    /// <summary>Declares durable classic queues (kept until the node stops); names are letters, digits, '.', '_' and '-'.</summary>
    public Task DeclareQueuesAsync(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (!QueueName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a queue name this fixture declares.", nameof(names));
            }
        }

        var queues = string.Join(",", names.Select(n => $"<<\"{n}\">>"));
        return RunCtlAsync(
            "eval",
            $"[rabbit_amqqueue:declare(rabbit_misc:r(<<\"/\">>, queue, Q), true, false, [], none, <<\"cinchflows-tests\">>) || Q <- [{queues}]], ok.");
    }

    /// <summary>
    /// Kills the broker's side of every client connection, so clients see a TCP reset as after a network failure or a
    /// broker crash. (<c>rabbitmqctl close_all_connections</c> does not reach AMQP 1.0 sockets on RabbitMQ 3.10.)
    /// </summary>
    /// <returns>How many connections were dropped.</returns>
    public async Task<int> DropAllConnectionsAsync() =>
        ParseCount(await RunCtlAsync("eval", $"Ps = ranch:procs({RanchListener}, connections), [exit(P, kill) || P <- Ps], length(Ps)."));

    /// <summary>How many client connections (AMQP 1.0 and 0-9-1) the broker has open.</summary>
    public async Task<int> ConnectionCountAsync() =>
        ParseCount(await RunCtlAsync("eval", $"length(ranch:procs({RanchListener}, connections))."));

    /// <summary>How many messages wait in <paramref name="queue"/> (ready or unacknowledged).</summary>
    public async Task<int> MessageCountAsync(string queue)
    {
        var text = await RunCtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "messages");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t');
            if (columns.Length == 2 && columns[0] == queue)
            {
                return int.Parse(columns[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"Queue '{queue}' does not exist on {NodeName}:\n{text}");
    }

    /// <summary>
    /// Receives (and accepts) exactly <paramref name="count"/> messages from <paramref name="queue"/>, waiting at most
    /// <paramref name="timeout"/>; throws <see cref="TimeoutException"/> with what did arrive otherwise.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedAmqpMessage>> ReceiveAsync(string queue, int count, TimeSpan timeout)
    {
        var received = new List<ReceivedAmqpMessage>();
        var connection = await new ConnectionFactory().CreateAsync(new Address(ConnectionString));
        try
        {
            var session = new Session(connection);
            var receiver = new ReceiverLink(session, "test-receiver-" + Guid.NewGuid().ToString("N"), "/amq/queue/" + queue);
            var elapsed = Stopwatch.StartNew();
            while (received.Count < count)
            {
                var remaining = timeout - elapsed.Elapsed;
                var message = remaining > TimeSpan.Zero ? await receiver.ReceiveAsync(remaining) : null;
                if (message is null)
                {
                    throw new TimeoutException(
                        $"Received {received.Count} of {count} messages from queue '{queue}' within {timeout}: " +
                        string.Join(", ", received.Select(m => m.MessageId)));
                }

                receiver.Accept(message);
                received.Add(ReceivedAmqpMessage.From(message));
            }

            // Messages the link had prefetched beyond the count go back to the queue when it closes.
            await receiver.CloseAsync();
            return received;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    // RabbitMQ's name for its ranch listener on 127.0.0.1:Port.
    private string RanchListener => string.Create(CultureInfo.InvariantCulture, $"{{acceptor, {{127,0,0,1}}, {Port}}}");

    private static int ParseCount(string evalOutput) =>
        int.Parse(evalOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1], CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,200}$")]
    private static partial Regex QueueName();

    private async Task StartNodeAsync()
    {
        lock (output)
        {
            output.Clear();
        }

        workFolder = Directory.CreateTempSubdirectory("cinchflows-rabbitmq-").FullName;
        var home = Directory.CreateDirectory(Path.Combine(workFolder, "home")).FullName;
        Port = LoopbackPorts.Free();
        var distributionPort = DistributionPort = LoopbackPorts.Free();
        var epmdPort = EpmdPort = LoopbackPorts.Free();
        NodeName = $"cf-test-{Guid.NewGuid().ToString("N")[..8]}@localhost";

        var plugins = Path.Combine(workFolder, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[rabbitmq_amqp1_0].\n");
        var config = Path.Combine(workFolder, "rabbitmq.conf");
        await File.WriteAllTextAsync(config, $"listeners.tcp.1 = 127.0.0.1:{Port}\nlog.file.level = info\n");
        var envFile = Path.Combine(workFolder, "rabbitmq-env.conf");
        await File.WriteAllTextAsync(envFile, "# empty: the machine's /etc/rabbitmq/rabbitmq-env.conf must not apply\n");

        environment.Clear();
        environment["HOME"] = home; // the Erlang cookie goes here, shared by the node and rabbitmqctl
        environment["LC_ALL"] = "C.UTF-8";
        environment["RABBITMQ_NODENAME"] = NodeName;
        environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        environment["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(workFolder, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(workFolder, "log");
        environment["RABBITMQ_PLUGINS_EXPAND_DIR"] = Path.Combine(workFolder, "plugins-expand");
        environment["RABBITMQ_PID_FILE"] = Path.Combine(workFolder, "rabbitmq.pid");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins;
        environment["RABBITMQ_CONFIG_FILE"] = config;
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(workFolder, "advanced.config");
        environment["RABBITMQ_CONF_ENV_FILE"] = envFile;
        environment["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture);
        environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";

        // The Erlang distribution port listens on every interface unless told otherwise (the node's and rabbitmqctl's).
        environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        environment["RABBITMQ_CTL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";

        // Our own epmd in the foreground, so it stops with the run instead of lingering as a daemon.
        epmd = Start(Epmd(), ["-port", epmdPort.ToString(CultureInfo.InvariantCulture)], "epmd");
        await WaitAsync(() => LoopbackPorts.AcceptsAsync(epmdPort), epmd, "epmd to listen");

        server = Start(Path.Combine(ScriptsFolder, "rabbitmq-server"), [], "rabbitmq");
        await WaitAsync(AcceptsAmqpAsync, server, $"RabbitMQ node {NodeName} to accept AMQP 1.0 on 127.0.0.1:{Port}");
    }

    private static string Epmd()
    {
        foreach (var candidate in new[] { "/usr/bin/epmd", "/usr/lib/erlang/bin/epmd" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "epmd";
    }

    private async Task<bool> AcceptsAmqpAsync()
    {
        if (!await LoopbackPorts.AcceptsAsync(Port))
        {
            return false;
        }

        // The port opens before the AMQP 1.0 plugin has started: only a full open proves it is ready.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var connection = await new ConnectionFactory().CreateAsync(new Address(ConnectionString), timeout.Token);
            await connection.CloseAsync();
            return true;
        }
        catch (Exception ex) when (ex is AmqpException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> ready, Process process, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await ready())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(process.StartInfo.FileName)} exited with code {process.ExitCode} while waiting for {what}.");
            }

            if (elapsed.Elapsed > StartupDeadline)
            {
                throw new TimeoutException($"Timed out after {StartupDeadline.TotalSeconds} s waiting for {what}.");
            }

            // Poll the condition again shortly; the deadline above bounds the wait.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private Process Start(string fileName, string[] arguments, string tag)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Capture(tag, e.Data);
        process.ErrorDataReceived += (_, e) => Capture(tag, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Capture(string tag, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Append('[').Append(tag).Append("] ").AppendLine(line);
            }
        }
    }

    private async Task<string> RunCtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(ScriptsFolder, "rabbitmqctl"))
        {
            WorkingDirectory = workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(NodeName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandDeadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rabbitmqctl {string.Join(' ', arguments)} did not finish within {CommandDeadline}.");
        }

        var text = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{text}\n{await stderr}");
        }

        return text;
    }

    private string NodeLogFile()
    {
        if (workFolder is null || NodeName.Length == 0)
        {
            return string.Empty;
        }

        var path = Path.Combine(workFolder, "log", NodeName + ".log");
        try
        {
            return File.Exists(path) ? $"--- {path} ---\n{File.ReadAllText(path)}" : $"(no node log at {path})";
        }
        catch (IOException ex)
        {
            return $"(cannot read {path}: {ex.Message})";
        }
    }

    private void StopNode()
    {
        // Everything the node had lives in the work folder, so there is nothing to shut down gracefully.
        foreach (var process in new[] { server, epmd })
        {
            if (process is null)
            {
                continue;
            }

            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

            process.Dispose();
        }

        (server, epmd) = (null, null);
        if (workFolder is not null)
        {
            try
            {
                Directory.Delete(workFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying process; the temp folder is cleaned by the OS eventually.
            }

            workFolder = null;
        }
    }
}
