using System.Globalization;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// How big the reliability checks run: CI-sized by default, full size from <c>scripts/reliability.sh</c>, which sets
/// these environment variables. The same tests run at both sizes.
/// </summary>
internal static class ReliabilitySizes
{
    /// <summary>Flows started by each chaos run. Default 48 (CI); the full run uses 500.</summary>
    public static int ChaosFlows => Int("CINCHFLOWS_CHAOS_FLOWS", 48);

    /// <summary>SIGKILLs per chaos run. Default 3; the full run uses 10.</summary>
    public static int ChaosKills => Int("CINCHFLOWS_CHAOS_KILLS", 3);

    /// <summary>Seconds between kills. Default 3.</summary>
    public static int ChaosKillIntervalSeconds => Int("CINCHFLOWS_CHAOS_KILL_INTERVAL", 3);

    /// <summary>Webhook requests the fuzz run sends. Default 1,000; the full run uses 10,000.</summary>
    public static int FuzzRequests => Int("CINCHFLOWS_FUZZ_REQUESTS", 1000);

    /// <summary>The fuzz run's seed, printed with every result so a failure can be replayed. Default 20261123.</summary>
    public static int FuzzSeed => Int("CINCHFLOWS_FUZZ_SEED", 20261123);

    /// <summary>How long storage stays down in the outage run. Default 10 s.</summary>
    public static int OutageSeconds => Int("CINCHFLOWS_OUTAGE_SECONDS", 10);

    /// <summary>Where each run writes its Markdown and JSON results; nothing is written when unset (plain test runs).</summary>
    public static string? ResultsFolder => Environment.GetEnvironmentVariable("CINCHFLOWS_RELIABILITY_RESULTS") is { Length: > 0 } folder ? folder : null;

    private static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
