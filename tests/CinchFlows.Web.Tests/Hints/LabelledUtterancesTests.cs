using System.Globalization;
using System.Text;
using CinchFlows.Flows.Hints;
using CinchFlows.Web.Hints;
using CinchFlows.Web.Tests.Support;
using Xunit.Abstractions;

namespace CinchFlows.Web.Tests.Hints;

/// <summary>
/// The default lexicon against the labelled set in <c>transcript-utterances.tsv</c>: precision and recall per protocol,
/// printed as a table (run with <c>--logger "console;verbosity=detailed"</c> to see it), each at least 0.9.
/// </summary>
public sealed class LabelledUtterancesTests(ITestOutputHelper output)
{
    private const double Goal = 0.9;

    [Fact]
    public void The_labelled_set_has_at_least_200_utterances_with_positives_for_every_protocol()
    {
        var set = Load();

        Assert.True(set.Count >= 200, $"{set.Count} utterances");
        foreach (var protocol in HintProtocols.All)
        {
            Assert.True(set.Count(u => u.Labels.Contains(protocol)) >= 20, $"{protocol} has fewer than 20 positives");
        }

        Assert.True(set.Count(u => u.Labels.Count == 0) >= 60, "fewer than 60 utterances that must not hint");
    }

    [Fact]
    public void Default_lexicon_reaches_precision_and_recall_of_at_least_0_9_per_protocol()
    {
        var set = Load();
        var matcher = new PhraseMatcher(DefaultLexicon.Phrases, DefaultLexicon.Exceptions, new HintOptions().NegationWindow);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{set.Count} labelled utterances");
        table.AppendLine("| protocol | positives | true pos. | false pos. | false neg. | precision | recall |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var misses = new StringBuilder();
        var results = new List<(HintProtocol Protocol, double Precision, double Recall)>();
        var predictions = set.Select(u => (Utterance: u, Found: matcher.Match(u.Text))).ToList();
        foreach (var protocol in HintProtocols.All)
        {
            int tp = 0, fp = 0, fn = 0;
            foreach (var (utterance, found) in predictions)
            {
                var expected = utterance.Labels.Contains(protocol);
                var actual = found.Contains(protocol);
                if (expected && actual)
                {
                    tp++;
                }
                else if (actual)
                {
                    fp++;
                    misses.AppendLine(CultureInfo.InvariantCulture, $"  false {protocol.WireName()}: {utterance.Text}");
                }
                else if (expected)
                {
                    fn++;
                    misses.AppendLine(CultureInfo.InvariantCulture, $"  missed {protocol.WireName()}: {utterance.Text}");
                }
            }

            var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 1 : (double)tp / (tp + fn);
            results.Add((protocol, precision, recall));
            table.AppendLine(CultureInfo.InvariantCulture, $"| {protocol.WireName()} | {tp + fn} | {tp} | {fp} | {fn} | {precision:0.000} | {recall:0.000} |");
        }

        output.WriteLine(table.ToString());
        output.WriteLine(misses.Length == 0 ? "no errors" : "errors:\n" + misses);
        Assert.All(results, r => Assert.True(r.Precision >= Goal && r.Recall >= Goal, $"{r.Protocol}: precision {r.Precision:0.000}, recall {r.Recall:0.000}\n{table}\n{misses}"));
    }

    private static List<LabelledUtterance> Load()
    {
        var path = RepositoryFiles.PathOf("tests", "CinchFlows.Web.Tests", "Hints", "transcript-utterances.tsv");
        return File.ReadAllLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line =>
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                Assert.True(tab > 0, $"no tab in: {line}");
                var labels = line[..tab] == "none"
                    ? []
                    : line[..tab].Split(',').Select(l => HintProtocols.Parse(l) ?? throw new InvalidOperationException($"unknown label '{l}'")).ToHashSet();
                return new LabelledUtterance(labels, line[(tab + 1)..]);
            })
            .ToList();
    }

    private sealed record LabelledUtterance(IReadOnlySet<HintProtocol> Labels, string Text);
}
