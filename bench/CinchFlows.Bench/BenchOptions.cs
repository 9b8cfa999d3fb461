using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>The harness's command line: sizes of each measurement, how many runs, where results go.</summary>
internal sealed record BenchOptions
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        CinchFlows.Bench — performance figures of the standalone service against Azurite (docs/performance.md)

        usage: ./scripts/bench.sh [--quick] [--runs N] [--phases LIST] [--out DIR] [--waiting-flows N] [--load-concurrency N] [--load-pace N]
                                  [--raw-concurrency N] [--azurite-indexed] [--service PATH] [--ack-seconds N] [--set KEY=VALUE]...
                                  [--side-by-side | --baseline PATH [--baseline-label TEXT] [--baseline-set KEY=VALUE]...]

          --quick               tiny sizes (about a minute a run): checks the harness, the figures mean little
          --runs N              runs, each with a fresh Azurite and service; figures are the medians (default 1)
          --phases LIST         the phases to run, comma-separated, from idle,transfer,timers,ack,raw,load (default all);
                                figures of the others are reported as not measured, e.g. --phases raw,load
          --out DIR             results folder (default artifacts/bench/<UTC time>)
          --waiting-flows N     flows the load phase starts and leaves waiting, for flows/s and memory (default 10000, quick 300)
          --load-concurrency N  webhooks the load phase has in flight at once, so a backlog builds in the work queue (default 64)
          --load-pace N         at most N of the load phase's flows started but not yet begun (no first notice yet): each
                                webhook waits for the flows before it, so no backlog builds (for the memory figure at sizes
                                an Azurite backlog cannot take; flows/s is then the paced rate). Default: no pacing
          --raw-concurrency N   partitions the raw Azurite batch rate writes at once (default 8)
          --azurite-indexed     Azurite without the costs that grow with all it holds: table queries read only their
                                partition, queue requests do not re-sort every message (bench/azurite-indexed.js;
                                answers unchanged): for the memory figure at 10,000 flows, which those costs put hours
                                away. Results say so
          --service PATH        the built CinchFlows.Standalone.dll (default: the Release build in this checkout)
          --ack-seconds N       how long webhooks are sent at 100/s for the ack latency (default 30, quick 3)
          --timer-seconds N     the connect timeout whose firing the timer figure measures (default 20)
          --set KEY=VALUE       a configuration setting for the service, e.g. --set Durable:MaxQueuePollingInterval=00:00:02
          --side-by-side        (scripts/bench.sh only) build the last commit of the first engine and measure it as the baseline
          --baseline PATH       another build's dll, measured in the same run as the baseline: each run measures both,
                                alternately, each against its own fresh Azurite, and the results give both and their ratio
          --baseline-label TEXT what the results call the baseline (default "baseline")
          --baseline-set KEY=VALUE  a configuration setting for the baseline only
        """;

    /// <summary>Every phase, in the order a run measures them.</summary>
    public static IReadOnlyList<string> AllPhases { get; } = [BenchPhases.Idle, BenchPhases.Transfer, BenchPhases.Timers, BenchPhases.Ack, BenchPhases.Raw, BenchPhases.Load];

    /// <summary>The phases that start flows (the storage-requests-per-step figure covers those run).</summary>
    public static IReadOnlyList<string> FlowPhases { get; } = [BenchPhases.Transfer, BenchPhases.Timers, BenchPhases.Ack, BenchPhases.Load];

    /// <summary>The phases to run, in run order. Default is all of <see cref="AllPhases"/>.</summary>
    public IReadOnlyList<string> Phases { get; init; } = AllPhases;

    /// <summary>Extra configuration for the service (<c>--set</c>), as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra configuration for the baseline only (<c>--baseline-set</c>), as environment variables.</summary>
    public IReadOnlyDictionary<string, string> BaselineSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The baseline's dll (<c>--baseline</c>); null when only this build is measured.</summary>
    public string? BaselinePath { get; init; }

    /// <summary>What the results call the baseline. Default is "baseline".</summary>
    public string BaselineLabel { get; init; } = "baseline";

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

    /// <summary>Webhooks the load phase has in flight at once: enough that the worker always has work waiting. Default is 64.</summary>
    public int LoadConcurrency { get; init; } = 64;

    /// <summary>
    /// At most this many of the load phase's flows started (webhook answered) but not yet begun (first notice not yet at
    /// Azurite); null for no pacing (the default: a backlog builds, which flows/s at capacity wants).
    /// </summary>
    public int? LoadPace { get; init; }

    /// <summary>The pace in words ("at most N flows started and not yet begun"); null for no pacing.</summary>
    public string? LoadPaceText => LoadPace is { } pace ? $"at most {pace} flows started and not yet begun" : null;

    /// <summary>
    /// Azurite without the costs that grow with everything it holds: table queries read only their partition, queue
    /// requests do not re-sort every message (bench/azurite-indexed.js). Default is off: Azurite as it ships.
    /// </summary>
    public bool AzuriteIndexed { get; init; }

    /// <summary>Partitions the raw Azurite batch rate writes at once. Default is 8.</summary>
    public int RawConcurrency { get; init; } = 8;

    /// <summary>How often the load phase reads the step count from <c>/api/health</c>. Default is 250 ms.</summary>
    public TimeSpan LoadSampleInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the raw Azurite batch-transaction rate is measured.</summary>
    public TimeSpan RawBatchWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the raw Azurite batches run uncounted first, so a fresh Azurite is warm when the rate is taken. Default is 3 seconds.</summary>
    public TimeSpan RawBatchWarmUp { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Transfers sent after the service has been quiet for <see cref="AfterIdlePause"/>, when its queue polling has backed off. Default is 3.</summary>
    public int AfterIdleSamples { get; init; } = 3;

    /// <summary>How long the service is left quiet before each after-idle transfer. Default is 20 seconds (quick: 5).</summary>
    public TimeSpan AfterIdlePause { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The connect timeout the service runs with: the timers the timer figure measures. Long enough that the worker is
    /// quiet (its queue polling backed off) when they come due, as a contact center's minutes-long timers find it.
    /// Default is 20 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">An unknown or malformed argument.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        int? waiting = null;
        int? ackSeconds = null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var baselineSettings = new Dictionary<string, string>(StringComparer.Ordinal);
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
                        AfterIdlePause = TimeSpan.FromSeconds(5),
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
                case "--timer-seconds":
                    options = options with { ConnectTimeout = TimeSpan.FromSeconds(PositiveInt(Value(), "--timer-seconds")) };
                    break;
                case "--phases":
                    options = options with { Phases = ParsePhases(Value()) };
                    break;
                case "--load-concurrency":
                    options = options with { LoadConcurrency = PositiveInt(Value(), "--load-concurrency") };
                    break;
                case "--load-pace":
                    options = options with { LoadPace = PositiveInt(Value(), "--load-pace") };
                    break;
                case "--azurite-indexed":
                    options = options with { AzuriteIndexed = true };
                    break;
                case "--raw-concurrency":
                    options = options with { RawConcurrency = PositiveInt(Value(), "--raw-concurrency") };
                    break;
                case "--set":
                    AddSetting(settings, "--set", Value());
                    break;
                case "--baseline":
                    options = options with { BaselinePath = Value() };
                    break;
                case "--baseline-label":
                    var label = Value().Trim();
                    options = options with { BaselineLabel = label.Length > 0 && label != BuildUnderTest.ThisBuild ? label : throw new ArgumentException($"--baseline-label wants a name other than '{BuildUnderTest.ThisBuild}', not '{label}'.") };
                    break;
                case "--baseline-set":
                    AddSetting(baselineSettings, "--baseline-set", Value());
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
            BaselineSettings = baselineSettings,
        };
    }

    /// <summary>The builds a run measures, in the order run <paramref name="run"/> measures them (odd runs: baseline first).</summary>
    public IReadOnlyList<BuildUnderTest> BuildsFor(int run, string thisBuildPath)
    {
        var current = new BuildUnderTest(BuildUnderTest.ThisBuild, thisBuildPath, Settings, IsBaseline: false);
        if (BaselinePath is null)
        {
            return [current];
        }

        var baseline = new BuildUnderTest(BaselineLabel, BaselinePath, BaselineSettings, IsBaseline: true);
        return run % 2 == 1 ? [baseline, current] : [current, baseline];
    }

    /// <summary>True when <paramref name="phase"/> is to run.</summary>
    public bool Includes(string phase) => Phases.Contains(phase, StringComparer.Ordinal);

    // Any order and repeats are accepted; a run always measures in AllPhases order.
    private static string[] ParsePhases(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !AllPhases.Contains(n, StringComparer.Ordinal)).ToArray();
        if (names.Length == 0 || unknown.Length > 0)
        {
            throw new ArgumentException(
                $"--phases wants a comma-separated list of {string.Join(",", AllPhases)}, not '{list}'{(unknown.Length > 0 ? $" (unknown: {string.Join(", ", unknown)})" : "")}.");
        }

        return [.. AllPhases.Where(p => names.Contains(p, StringComparer.Ordinal))];
    }

    private static void AddSetting(Dictionary<string, string> settings, string option, string setting)
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"{option} wants KEY=VALUE, not '{setting}'.");
        }

        settings[setting[..equals].Replace(":", "__", StringComparison.Ordinal)] = setting[(equals + 1)..];
    }

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} wants a positive whole number, not '{text}'.");
}
