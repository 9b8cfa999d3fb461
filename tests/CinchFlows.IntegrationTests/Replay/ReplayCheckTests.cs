using System.Diagnostics;
using System.Text.Json.Nodes;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Versioning;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Replay;

/// <summary>
/// The replay check a developer runs before deploying a flow change (docs/flows.md, "Changing a flow"): every exported
/// history in <c>CINCHFLOWS_REPLAY_HISTORIES</c> (a folder of <c>GET /api/instances/{id}?showHistory=true</c> answers,
/// or arrays of them), else the histories this suite recorded (<c>Replay/Histories</c>), replays against the current
/// flows. No storage, no host: the engine's executor and the flow classes only.
/// </summary>
public sealed class ReplayCheckTests(ITestOutputHelper output)
{
    /// <summary>The folder of exported histories to check; unset, the ones the tests recorded.</summary>
    public const string HistoriesVariable = "CINCHFLOWS_REPLAY_HISTORIES";

    [Fact]
    public void ExportedHistories_ReplayAgainstTheCurrentFlows()
    {
        var histories = Load();
        Assert.NotEmpty(histories);

        var watch = Stopwatch.StartNew();
        var verdicts = histories.Select(h => HistoryReplay.Replay(h.Source, h.History, CurrentFlows.Find)).ToList();
        watch.Stop();
        foreach (var verdict in verdicts)
        {
            output.WriteLine(verdict.ToString());
        }

        output.WriteLine($"{verdicts.Count} histories, {verdicts.Sum(v => v.Events)} events, replayed in {watch.ElapsedMilliseconds} ms; versions: " +
            string.Join(", ", verdicts.GroupBy(v => v.Version.Length == 0 ? "(none)" : v.Version).Select(g => $"{g.Key} ×{g.Count()}")));
        var broken = verdicts.Where(v => !v.Replays).ToList();
        Assert.True(broken.Count == 0, $"{broken.Count} of {verdicts.Count} histories do not replay against the current flows:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void RecordedHistories_HoldBothVersions()
    {
        var versions = Recorded().Select(h => HistoryReplay.Replay(h.Source, h.History, CurrentFlows.Find).Version).ToHashSet();

        Assert.Contains(FlowVersions.V1, versions);
        Assert.Contains(FlowVersions.V2, versions);
    }

    [Fact]
    public void AStepInsertedBeforeTheFirst_IsTheEnginesNonDeterminismError_ForEveryRecordedFlow()
    {
        // A deliberate non-deterministic change: the flows now read the hint ledger before their settings.
        var verdicts = Recorded()
            .Select(h => HistoryReplay.Replay(h.Source, h.History, name => CurrentFlows.Find(name) is { } flow
                ? new ChangedFlow(flow, async (context, run) =>
                {
                    await context.CallActivityAsync<object?>(nameof(CinchFlows.Flows.Hints.ReadHintActivity), "call-1");
                    return await run(context);
                })
                : null))
            .ToList();

        Assert.All(verdicts, v => Assert.StartsWith("non-deterministic:", v.Problem, StringComparison.Ordinal));
        Assert.All(verdicts, v => Assert.Contains(nameof(GetFlowSettingsActivity), v.Problem!, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEndChanged_IsCaught_EvenWhenEveryStepStillMatches()
    {
        // Only the finished flows have an end to compare; a running one has not reached it.
        var verdicts = Recorded()
            .Where(h => h.History["runtimeStatus"]?.GetValue<string>() == "Completed")
            .Select(h => HistoryReplay.Replay(h.Source, h.History, name => CurrentFlows.Find(name) is { } flow
                ? new ChangedFlow(flow, async (context, run) =>
                {
                    await run(context);
                    return "something else";
                })
                : null))
            .ToList();

        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.Contains("the code now outputs \"something else\"", v.Problem ?? "replays", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExportWithoutHistory_IsReported_NotPassed()
    {
        var (source, history) = Recorded().First();
        var withoutHistory = history.DeepClone().AsObject();
        withoutHistory.Remove("historyEvents");

        var verdict = HistoryReplay.Replay(source, withoutHistory, CurrentFlows.Find);

        Assert.False(verdict.Replays);
        Assert.Contains("showHistory=true", verdict.Problem, StringComparison.Ordinal);
    }

    private static List<(string Source, JsonObject History)> Load() =>
        Environment.GetEnvironmentVariable(HistoriesVariable) is { Length: > 0 } folder ? Read(folder) : Recorded();

    private static List<(string Source, JsonObject History)> Recorded() => Read(Path.Combine(AppContext.BaseDirectory, "Replay", "Histories"));

    private static List<(string Source, JsonObject History)> Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{HistoriesVariable}: no folder '{folder}'.");
        }

        var histories = new List<(string, JsonObject)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(folder, file);
            switch (JsonNode.Parse(File.ReadAllText(file)))
            {
                case JsonObject one:
                    histories.Add((name, one));
                    break;
                case JsonArray many:
                    histories.AddRange(many.OfType<JsonObject>().Select((h, i) => ($"{name}[{i}]", h)));
                    break;
                default:
                    throw new InvalidDataException($"{file}: expected an instance's status object or an array of them.");
            }
        }

        return histories;
    }
}
