using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// The figures of one reliability run: printed to the test output always, and written as <c>{name}.json</c> and
/// <c>{name}.md</c> to <see cref="ReliabilitySizes.ResultsFolder"/> when a full run asked for results.
/// </summary>
internal sealed class ReliabilityReport(string name, string title)
{
    private readonly List<(string Key, string Value)> figures = [];
    private readonly List<string> anomalies = [];
    private readonly JsonObject json = new() { ["name"] = name, ["title"] = title, ["startedUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>A figure: a line in the Markdown table and a property in the JSON.</summary>
    public void Add(string key, object? value)
    {
        var text = value switch
        {
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            TimeSpan t => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            null => "—",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
        figures.Add((key, text));
        json[key] = value switch
        {
            TimeSpan t => JsonValue.Create(Math.Round(t.TotalSeconds, 3)),
            null => null,
            _ => JsonSerializer.SerializeToNode(value),
        };
    }

    /// <summary>True when a figure named <paramref name="key"/> was added.</summary>
    public bool Has(string key) => figures.Exists(f => f.Key == key);

    /// <summary>Something worth a look that did not fail the run (e.g. a retry the platform had to make).</summary>
    public void Anomaly(string text) => anomalies.Add(text);

    /// <summary>
    /// What the backend's warnings say: how many messages it put back and the longest wait, how many steps two workers
    /// ran at once, and how many lease renewals it cut.
    /// </summary>
    public void Add(EngineWarnings backOffs)
    {
        ArgumentNullException.ThrowIfNull(backOffs);
        Add("messages the backend put back with a back-off", backOffs.Count);
        Add("longest back-off (s)", backOffs.Longest.TotalSeconds);
        Add("steps refused, another worker committed first (split brain)", backOffs.SplitBrains);
        Add("lease read-and-writes cut at their timeout", backOffs.LeaseTimeouts);
    }

    /// <summary>Prints the report and, for a full run, writes it to the results folder.</summary>
    public void Write(ITestOutputHelper output, bool passed)
    {
        json["passed"] = passed;
        json["anomalies"] = new JsonArray([.. anomalies.Select(a => (JsonNode?)JsonValue.Create(a))]);
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"## {title}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Result: **{(passed ? "passed" : "FAILED")}**")
            .AppendLine()
            .AppendLine("| figure | value |")
            .AppendLine("|---|---|");
        foreach (var (key, value) in figures)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        if (anomalies.Count > 0)
        {
            markdown.AppendLine().AppendLine("Anomalies:").AppendLine();
            foreach (var anomaly in anomalies.Take(50))
            {
                markdown.AppendLine(CultureInfo.InvariantCulture, $"- {anomaly}");
            }
        }

        output.WriteLine(markdown.ToString());
        if (ReliabilitySizes.ResultsFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name + ".md"), markdown.ToString());
            File.WriteAllText(Path.Combine(folder, name + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }
}
