using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>The harness's command line: sizes of each measurement, how many runs, where results go.</summary>
internal sealed record BenchOptions
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        CinchFlows.Bench — performance figures of the standalone service against Azurite (docs/performance.md)

        usage: ./scripts/bench.sh [--quick] [--runs N] [--out DIR] [--waiting-flows N] [--service PATH] [--ack-seconds N] [--set KEY=VALUE]...

          --quick             tiny sizes (about a minute a run): checks the harness, the figures mean little
          --runs N            runs, each with a fresh Azurite and service; figures are the medians (default 1)
          --out DIR           results folder (default artifacts/bench/<UTC time>)
          --waiting-flows N   flows left waiting for the memory figure (default 10000, quick 300)
          --service PATH      the built CinchFlows.Functions.dll (default: the Release build in this checkout)
          --ack-seconds N     how long webhooks are sent at 100/s for the ack latency (default 30, quick 3)
          --set KEY=VALUE     a configuration setting for the service, e.g. --set Durable:MaxConcurrentActivities=64
        """;

    /// <summary>Extra configuration for the service (<c>--set</c>), as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Tiny sizes for a smoke run.</summary>
    public bool Quick { get; init; }

    /// <summary>Runs; figures are medians over them.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Results folder; null for <c>artifacts/bench/&lt;time&gt;</c>.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>The service's dll; null for the Release build in this checkout.</summary>
    public string? ServicePath { get; init; }

    /// <summary>How long the idle worker is watched.</summary>
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Medical-emergency flows sent one after another for the webhook → transfer latency.</summary>
    public int TransferSamples { get; init; } = 100;

    /// <summary>Flows whose first transfer is left unanswered, so the connect timeout fires.</summary>
    public int TimerSamples { get; init; } = 40;

    /// <summary>How long webhooks are sent at <see cref="AckRate"/>.</summary>
    public TimeSpan AckWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Webhooks per second for the acknowledgement latency.</summary>
    public int AckRate { get; init; } = 100;

    /// <summary>Flows left waiting on timers and events for the memory figure (also the throughput load).</summary>
    public int WaitingFlows { get; init; } = 10_000;

    /// <summary>Concurrent requests when loading the waiting flows, and concurrent batches of the raw Azurite rate.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>How long the raw Azurite batch-transaction rate is measured.</summary>
    public TimeSpan RawBatchWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The connect timeout the service runs with (the timer figure waits on it).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">An unknown or malformed argument.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        int? waiting = null;
        int? ackSeconds = null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick":
                    options = options with
                    {
                        Quick = true,
                        IdleWindow = TimeSpan.FromSeconds(10),
                        TransferSamples = 10,
                        TimerSamples = 5,
                        AckWindow = TimeSpan.FromSeconds(3),
                        RawBatchWindow = TimeSpan.FromSeconds(3),
                    };
                    break;
                case "--runs":
                    options = options with { Runs = PositiveInt(Value(), "--runs") };
                    break;
                case "--out":
                    options = options with { OutputFolder = Value() };
                    break;
                case "--waiting-flows":
                    waiting = PositiveInt(Value(), "--waiting-flows");
                    break;
                case "--service":
                    options = options with { ServicePath = Value() };
                    break;
                case "--ack-seconds":
                    ackSeconds = PositiveInt(Value(), "--ack-seconds");
                    break;
                case "--set":
                    var setting = Value();
                    var equals = setting.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new ArgumentException($"--set wants KEY=VALUE, not '{setting}'.");
                    }

                    settings[setting[..equals].Replace(":", "__", StringComparison.Ordinal)] = setting[(equals + 1)..];
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return options with
        {
            WaitingFlows = waiting ?? (options.Quick ? 300 : 10_000),
            AckWindow = ackSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.AckWindow,
            Settings = settings,
        };
    }

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} wants a positive whole number, not '{text}'.");
}
