namespace CinchFlows.Bench;

/// <summary>One figure of the issue, with its goal.</summary>
/// <param name="Key">Its name in results.json.</param>
/// <param name="Title">Its row's title.</param>
/// <param name="Goal">The goal, as the table shows it.</param>
/// <param name="ValueKeys">The values it shows (keys of <see cref="RunResult.Values"/>).</param>
/// <param name="Unit">The values' unit, shown after them.</param>
/// <param name="Meets">The test of the goal, given this build's values and the baseline's (null when none was measured).</param>
/// <param name="Phases">The phases its values come from, all needed.</param>
/// <param name="NeedsBaseline">True when the goal is relative to the baseline only, so without one it cannot be judged.</param>
internal sealed record FigureDefinition(
    string Key, string Title, string Goal, IReadOnlyList<string> ValueKeys, string Unit, Func<double[], double[]?, bool> Meets, IReadOnlyList<string> Phases, bool NeedsBaseline = false)
{
    /// <summary>What a figure or value shows when its phase did not run.</summary>
    public const string NotMeasured = "not measured";

    /// <summary>The verdict of a figure whose goal is relative to the baseline, in a run without one.</summary>
    public const string NeedsABaseline = "needs a baseline";

    /// <summary>The phases of <paramref name="run"/> this figure's values come from.</summary>
    public IReadOnlyList<string> PhasesIn(IReadOnlyList<string> run) => [.. Phases.Where(p => run.Contains(p, StringComparer.Ordinal))];

    /// <summary>True when <paramref name="run"/> includes every phase this figure needs.</summary>
    public bool MeasuredIn(IReadOnlyList<string> run) => PhasesIn(run).Count == Phases.Count;

    /// <summary>
    /// PASS or MISS for <paramref name="values"/> (this build) against the goal; "not measured" when a value is missing
    /// (its phase did not run), n/a when one is not a number, "needs a baseline" when the goal is relative and
    /// <paramref name="baseline"/> is null or lacks the values.
    /// </summary>
    public string Verdict(IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, double>? baseline)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!ValueKeys.All(values.ContainsKey))
        {
            return NotMeasured;
        }

        var measured = ValueKeys.Select(k => values[k]).ToArray();
        var before = baseline is not null && ValueKeys.All(baseline.ContainsKey) ? ValueKeys.Select(k => baseline[k]).ToArray() : null;
        if (measured.Any(double.IsNaN) || (before is not null && before.Any(double.IsNaN)))
        {
            return "n/a";
        }

        if (NeedsBaseline && before is null)
        {
            return NeedsABaseline;
        }

        return Meets(measured, before) ? "PASS" : "MISS";
    }

    /// <summary>The values, joined with " / ", with the unit; "not measured" alone when none was.</summary>
    public string Shown(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!ValueKeys.Any(values.ContainsKey))
        {
            return NotMeasured;
        }

        var text = string.Join(" / ", ValueKeys.Select(k => values.TryGetValue(k, out var v) ? Figures.Format(v) : NotMeasured));
        return Unit.Length == 0 ? text : $"{text} {Unit}";
    }

    /// <summary>Each value of this build ÷ the baseline's, joined with " / " (e.g. "3.9×"); "—" when either is missing.</summary>
    public string Ratio(IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, double>? baseline)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (baseline is null || !ValueKeys.All(k => values.ContainsKey(k) && baseline.ContainsKey(k)))
        {
            return "—";
        }

        return string.Join(" / ", ValueKeys.Select(k => Figures.FormatRatio(values[k], baseline[k])));
    }
}
